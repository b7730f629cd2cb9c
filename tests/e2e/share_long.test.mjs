// Issue 20: a share link whose replay is long does not freeze the page. The share button checks
// the link by replaying it a step at a time between frames (a large load stopped by Ctrl+C
// replays its steps one by one): the strip says how far the check got, and the console answers
// meanwhile. Opened in an empty browser, the link replays the same way: the console says how far
// the replay got, then that the shared session is open, with the same keys.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, run, screenshot, openFresh, launch, newProfile } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const input = (page) => page.locator('[data-testid="console-input"]');
const count = async (page) => {
  const out = await run(page, 'etcdctl get /registry --prefix --limit 1 -w json');
  return Number(out.match(/"count":(\d+)/)?.[1] ?? 0);
};

test('a long share link is checked and opened a step at a time', { timeout: 600000 }, async () => {
  const a = await openFresh(server.url);
  let link;
  let keys;
  try {
    await input(a.page).fill('load k8s large');
    await a.page.keyboard.press('Enter');
    await a.page.waitForFunction(() => {
      const p = document.querySelector('[data-testid="console-progress"]');
      return p && Number(p.getAttribute('value')) > 30000;
    }, null, { timeout: 300000, polling: 100 });
    await input(a.page).focus();
    await a.page.keyboard.press('Control+C');
    await a.page.waitForFunction(() => !document.querySelector('[data-testid="console-working"]'), null, { timeout: 60000 });
    keys = await count(a.page);
    assert.ok(keys > 30000 && keys < 100000, `${keys} keys`);

    // the check replays the stopped load a step at a time: its progress shows, and the
    // console answers meanwhile
    await a.page.locator('[data-testid="share"]').click();
    const checking = a.page.locator('[data-testid="share-checking"]');
    await checking.waitFor({ timeout: 60000 });
    assert.match(await checking.innerText(),
      /^Checking that the link replays to this session: \d+ of \d+ inputs replayed…$/);
    await screenshot(a.page, 'share-checking.png');
    assert.match(await run(a.page, 'etcdctl put typed-while-checking yes'), /\nOK\n?$/);
    const url = a.page.locator('[data-testid="share-url"]');
    await url.waitFor({ timeout: 300000 });
    link = await url.inputValue();
    assert.ok(link.startsWith(`${server.url}#share=1.`), link);
    assert.deepEqual(a.errors, []);
  } finally {
    await a.context.close();
  }

  // an empty browser: the first-visit module hands the link over (it holds a load), and the
  // full module replays it a step at a time. (The notes are noted as they come, across the
  // hand-over's reload, by an observer that reports each one.)
  const errors = [];
  const context = await launch(newProfile(), errors);
  const notes = [];
  await context.exposeFunction('__noteSeen', (t) => { if (notes.at(-1) !== t) notes.push(t); });
  await context.addInitScript(() => {
    let last;
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="console-note"]')?.innerText;
      if (t && t !== last) window.__noteSeen(last = t);
    }).observe(document, { subtree: true, childList: true, characterData: true });
  });
  const page = context.pages()[0] ?? await context.newPage();
  const b = { context, page, errors };
  try {
    await page.goto(link);
    const note = b.page.locator('[data-testid="console-note"]');
    await b.page.waitForFunction(() => /^Opened the shared session \(\d+ inputs replayed\)\.$/
      .test(document.querySelector('[data-testid="console-note"]')?.innerText ?? ''), null, { timeout: 300000, polling: 100 });
    assert.ok(notes.some((n) => /^Replaying the shared session: \d+ of 2 inputs \(load k8s large: \d+ of \d+ keys\)…$/.test(n)),
      `the replay said how far it got: ${JSON.stringify(notes)}`);
    assert.match(await note.innerText(), /^Opened the shared session \(2 inputs replayed\)\.$/);
    await b.page.waitForSelector('[data-testid="console"][data-ready="true"]', { timeout: 60000 });
    assert.equal(await count(b.page), keys, 'the link replays to the same keys');
    assert.deepEqual(b.errors, []);
  } finally {
    await b.context.close();
  }
});
