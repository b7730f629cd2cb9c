// Issue 21, "the console as a learner meets it": the page without a mouse. Tab on an empty
// console line moves the focus on (and Shift+Tab back) instead of being swallowed; Esc closes
// the dialogs (help, the lesson question, the time-travel question: as cancel); every control
// the keyboard reaches has a visible focus ring and an accessible name.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

/** The focused element: its test id (or tag), and whether it is the console input. */
const focused = (page) => page.evaluate(() => {
  const el = document.activeElement;
  return el ? (el.dataset?.testid || el.getAttribute('aria-label') || el.tagName) : null;
});

/** What a keyboard user sees of the focused element: a ring, and a name a screen reader says. */
const focusFacts = (page) => page.evaluate(() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const cs = getComputedStyle(el);
  const outline = cs.outlineStyle !== 'none' && parseFloat(cs.outlineWidth) > 0;
  // (the SVG members and links show focus on their body or wire instead of an outline)
  let svgRing = false;
  const body = el.querySelector?.('.body, .wire');
  if (body) {
    const b = getComputedStyle(body);
    svgRing = (b.filter && b.filter !== 'none') || parseFloat(b.strokeWidth) >= 3;
  }
  const labelled = [...(el.labels || [])].some((l) => l.innerText.trim());
  const name = (el.getAttribute('aria-label') || el.getAttribute('title') || el.innerText || '').trim();
  const id = el.dataset?.testid || `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? '.' + el.className.split(' ')[0] : ''}:${name.slice(0, 20)}`;
  return { id, ring: outline || cs.boxShadow !== 'none' || svgRing, named: labelled || name.length > 0 };
});

test('Tab on an empty line moves the focus on; with a word it completes', () => withPage(server.url, async (page) => {
  const input = page.locator('[data-testid="console-input"]');
  await input.focus();
  await page.keyboard.type('etcdctl memb');
  await page.keyboard.press('Tab');
  assert.equal(await input.inputValue(), 'etcdctl member ');
  assert.equal(await focused(page), 'console-input', 'Tab with a word completes and keeps the focus');
  await input.fill('');
  await page.keyboard.press('Tab');
  assert.notEqual(await focused(page), 'console-input', 'on an empty line Tab moves on');
  await page.keyboard.press('Shift+Tab');
  assert.equal(await focused(page), 'console-input', 'Shift+Tab comes back');
  await page.keyboard.press('Shift+Tab');
  assert.notEqual(await focused(page), 'console-input');
}));

test('every control the keyboard reaches has a visible focus ring and a name', () => withPage(server.url, async (page) => {
  // some content in the keyspace panel and the console, so that its controls exist
  await run(page, 'etcdctl put /app/a 1');
  await page.locator('[data-testid="console-input"]').focus();
  await page.keyboard.press('Tab'); // (the input is empty after a run)
  const seen = new Map();
  const bad = [];
  for (let i = 0; i < 200; i++) {
    const f = await focusFacts(page);
    if (f) {
      const round = f.id === 'console-input' && seen.size > 0; // went round
      seen.set(f.id, (seen.get(f.id) || 0) + 1);
      if (!f.ring || !f.named) bad.push(f);
      if (f.id === 'keyspace-filter' || f.id === 'show-requests') await screenshot(page, `keyboard-focus-${f.id}.png`);
      if (round) break;
    }
    await page.keyboard.press('Tab');
  }
  const ids = [...seen.keys()];
  if (process.env.SHOW_FOCUS) console.log(ids.join(' '));
  assert.ok(ids.includes('console-input'), 'Tab comes round to the console');
  for (const want of ['play-pause', 'timeline', 'watch-election', 'show-requests', 'help-link']) {
    assert.ok(ids.includes(want), `Tab reaches ${want} (reached: ${ids.join(', ')})`);
  }
  assert.ok(ids.some((id) => /keyspace|filter|v2/.test(id)), `Tab reaches the keyspace panel (reached: ${ids.join(', ')})`);
  assert.deepEqual(bad, [], 'controls without a focus ring or a name');
}));

test('Esc closes the help, cancels the lesson question and the time-travel question', () => withPage(server.url, async (page) => {
  await page.click('[data-testid="help-link"]');
  await page.locator('[data-testid="help-panel"]').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="help-panel"]').waitFor({ state: 'detached' });

  // the lesson question (asked because something was typed here)
  await run(page, 'etcdctl put a 1');
  await page.click('[data-testid="lessons-open"]');
  await page.locator('[data-testid^="lesson-item-"]').first().click();
  await page.locator('[data-testid="lesson-confirm"]').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="lesson-confirm"]').waitFor({ state: 'detached' });
  assert.match(await page.locator('[data-testid="console-output"]').innerText(), /put a 1/, 'nothing was dropped');

  // the time-travel question: Esc is cancel, and the line comes back into the input
  await run(page, 'etcdctl put b 2');
  await page.locator('[data-testid="timeline"]').fill('3000'); // (the first election)
  await page.locator('[data-testid="time-travel-banner"]').waitFor();
  const input = page.locator('[data-testid="console-input"]');
  await input.fill('etcdctl put c 3');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="time-travel-confirm"]').waitFor();
  await page.keyboard.press('Escape');
  await page.locator('[data-testid="time-travel-confirm"]').waitFor({ state: 'detached' });
  assert.equal(await input.inputValue(), 'etcdctl put c 3');
}));
