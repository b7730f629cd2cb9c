// Issue 20: a long command does not freeze the page. `load k8s large` runs a step at a time
// between frames: its progress moves on screen, the console takes typing meanwhile (lines
// typed wait and run after it, as a shell's type-ahead), Ctrl+C stops it where it is (what
// was written stays, the type-ahead is dropped), and the stopped load is stored: a reload
// shows the same keys. A load left to finish runs the line typed meanwhile after it.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, consoleReady, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const input = (page) => page.locator('[data-testid="console-input"]');
const progress = (page) => page.locator('[data-testid="console-progress"]');
const written = async (page) => Number(await progress(page).getAttribute('value'));
const count = async (page) => {
  const out = await run(page, 'etcdctl get /registry --prefix --limit 1 -w json');
  return Number(out.match(/"count":(\d+)/)?.[1] ?? 0);
};

/** Waits until the load's progress shows more than `n` keys written. */
const pastKeys = (page, n) => page.waitForFunction((n) => {
  const p = document.querySelector('[data-testid="console-progress"]');
  return p && Number(p.getAttribute('value')) > n;
}, n, { timeout: 120000, polling: 50 });

test('Ctrl+C stops a long load where it is, and the page answers while it runs', { timeout: 300000 }, () => withPage(server.url, async (page) => {
  const before = await page.locator('[data-testid="console-entry"]').count();
  await input(page).fill('load k8s large');
  await page.keyboard.press('Enter');
  await progress(page).waitFor({ timeout: 30000 });
  await pastKeys(page, 0);
  const first = await written(page);
  await pastKeys(page, first);
  assert.ok(await written(page) > first, 'the progress moves while the load runs');
  assert.match(await page.locator('[data-testid="console-working"]').innerText(),
    /running `load k8s large`: \d+ of about \d+ keys written \(\d+%\) · Ctrl\+C stops it/);
  assert.equal(await page.locator('[data-testid="console-entry"]').count(), before,
    'no entry until the load ends');
  // time and the cluster are the load's while it runs: their buttons wait
  assert.equal(await page.locator('[data-testid="member-stop-infra1"]').isDisabled(), true);
  assert.equal(await page.locator('[data-testid="step"]').isDisabled(), true);

  // typing while it runs: the line waits for the load
  assert.equal(await input(page).isDisabled(), false);
  await input(page).fill('etcdctl put typed-meanwhile yes');
  await page.keyboard.press('Enter');
  await page.locator('[data-testid="console-typeahead"]').waitFor();
  assert.equal(await page.locator('[data-testid="console-typeahead"]').innerText(),
    'waiting: etcdctl put typed-meanwhile yes');
  await screenshot(page, 'long-load-running.png');

  // Ctrl+C: the load stops, what it wrote stays, the type-ahead is dropped
  await input(page).focus();
  await page.keyboard.press('Control+C');
  const entry = page.locator('[data-testid="console-entry"]').last();
  await page.waitForFunction(() => !document.querySelector('[data-testid="console-working"]'), null, { timeout: 30000 });
  const stopped = await entry.innerText();
  const m = stopped.match(/load: stopped by Ctrl\+C after (\d+) keys \([^)]*\) of the large sample were written at revisions (\d+)\.\.(\d+)/);
  assert.ok(m, stopped);
  assert.match(stopped, /^\$ load k8s large\n\^C\n/);
  const keys = Number(m[1]);
  assert.ok(keys > 0 && keys < 100000, `${keys} keys`);
  assert.equal(await count(page), keys, 'what the load wrote stays, and only that');
  assert.equal(await page.locator('[data-testid="member-stop-infra1"]').isDisabled(), false);
  assert.equal((await run(page, 'etcdctl get typed-meanwhile')).trim(), '$ etcdctl get typed-meanwhile',
    'Ctrl+C drops the lines typed meanwhile');
  await screenshot(page, 'long-load-stopped.png');

  // stored: a reload has the same keys, and the stopped line in its history
  await page.reload();
  await consoleReady(page);
  assert.equal(await count(page), keys);
  const recalled = [];
  for (let i = 0; i < 4; i++) {
    await input(page).press('ArrowUp');
    recalled.push(await input(page).inputValue());
  }
  assert.ok(recalled.includes('load k8s large'), `the history holds the stopped line: ${recalled}`);
}));

test('a long load left to finish runs the line typed meanwhile after it', { timeout: 300000 }, () => withPage(server.url, async (page) => {
  await input(page).fill('load k8s large');
  await page.keyboard.press('Enter');
  await pastKeys(page, 0);
  await input(page).fill('etcdctl get /registry/namespaces/default --keys-only');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => {
    const es = [...document.querySelectorAll('[data-testid="console-entry"]')];
    return es.some((e) => e.innerText.startsWith('$ etcdctl get /registry/namespaces/default'));
  }, null, { timeout: 240000, polling: 100 });
  const texts = await page.locator('[data-testid="console-entry"]').allInnerTexts();
  const load = texts.findIndex((t) => t.startsWith('$ load k8s large'));
  assert.ok(load >= 0, texts.join('\n---\n').slice(-800));
  assert.match(texts[load], /loaded the large Kubernetes sample: \d+ keys/);
  assert.match(texts[load + 1], /^\$ etcdctl get \/registry\/namespaces\/default --keys-only\n\/registry\/namespaces\/default\n/);
  assert.ok(await count(page) > 100000);
}));
