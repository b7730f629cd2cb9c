// Issue 21, "time travel that never loses work": dragged into the past, the page says so and
// offers the way back; a command typed there asks before discarding what came after (cancel
// keeps everything and gives the line back); playing on runs the later inputs again; the
// timeline starts at t = 0, and one click replays the first election slowly.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const simMs = async (page) => {
  const t = await page.locator('[data-testid="sim-time"]').innerText();
  return Math.round(parseFloat(t) * 1000);
};
const roles = (page) => page.evaluate(() =>
  ['infra1', 'infra2', 'infra3'].map((n) => document.querySelector(`[data-testid="member-${n}"]`)?.dataset.role));

test('rewound: a banner, return to now, and a question before discarding', () => withPage(server.url, async (page) => {
  assert.equal(await page.locator('[data-testid="time-travel-banner"]').count(), 0, 'no banner at now');
  await run(page, 'etcdctl put a 1');
  const t1 = await simMs(page);
  await run(page, 'advance 2s');
  await run(page, 'etcdctl put b 2');
  const now = await simMs(page);
  const timeline = page.locator('[data-testid="timeline"]');
  assert.equal(await timeline.getAttribute('min'), '0');
  const entries = await page.locator('[data-testid="console-entry"]').count();

  await timeline.fill(String(t1 + 1000));
  const banner = page.locator('[data-testid="time-travel-banner"]');
  await banner.waitFor();
  assert.match(await banner.innerText(), /viewing t = \d+\.\d+ s/);
  await screenshot(page, 'time-travel-banner.png');

  // a command typed now asks first; cancel keeps everything and gives the line back
  const input = page.locator('[data-testid="console-input"]');
  await input.fill('etcdctl put c 3');
  await page.keyboard.press('Enter');
  const confirm = page.locator('[data-testid="time-travel-confirm"]');
  await confirm.waitFor();
  assert.match(await confirm.innerText(), /discard/);
  await screenshot(page, 'time-travel-confirm.png');
  await page.click('[data-testid="time-travel-cancel"]');
  await confirm.waitFor({ state: 'detached' });
  assert.equal(await input.inputValue(), 'etcdctl put c 3');
  // a click on a member asks too
  await page.click('[data-testid="member-stop-infra3"]');
  await confirm.waitFor();
  await page.click('[data-testid="time-travel-cancel"]');
  await confirm.waitFor({ state: 'detached' });

  // return to now: everything is there
  await page.click('[data-testid="time-travel-return"]');
  await banner.waitFor({ state: 'detached' });
  assert.equal(await simMs(page), now);
  // the console shows every entry again before the next line is typed
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="console-entry"]').length >= n, entries);
  assert.match(await run(page, 'etcdctl get b --print-value-only'), /\n2\s*$/);

  // rewound again, discard: the line runs, the later inputs are gone
  await timeline.fill(String(t1 + 1000));
  await banner.waitFor();
  await input.fill('etcdctl put c 3');
  await page.keyboard.press('Enter');
  await confirm.waitFor();
  await page.click('[data-testid="time-travel-discard"]');
  await confirm.waitFor({ state: 'detached' });
  await banner.waitFor({ state: 'detached' });
  assert.match(await run(page, 'etcdctl get b'), /^\$ etcdctl get b\s*$/, 'put b was discarded');
  assert.match(await run(page, 'etcdctl get c --print-value-only'), /\n3\s*$/);
}));

test('playing on after a rewind runs the later inputs again', () => withPage(server.url, async (page) => {
  await run(page, 'etcdctl put a 1');
  const t1 = await simMs(page);
  await run(page, 'advance 1s');
  await run(page, 'etcdctl put b 2');
  await page.locator('[data-testid="timeline"]').fill(String(t1 + 100));
  await page.locator('[data-testid="time-travel-banner"]').waitFor();
  await page.selectOption('[data-testid="speed"]', { label: '10×' });
  await page.click('[data-testid="play-pause"]');
  await page.locator('[data-testid="time-travel-banner"]').waitFor({ state: 'detached', timeout: 15000 });
  await page.click('[data-testid="play-pause"]');
  assert.match(await run(page, 'etcdctl get b --print-value-only'), /\n2\s*$/);
}));

test('the first election, replayed slowly from t = 0', () => withPage(server.url, async (page) => {
  await run(page, 'etcdctl put a 1');
  assert.deepEqual((await roles(page)).filter((r) => r === 'leader').length, 1);
  await page.click('[data-testid="watch-election"]');
  await page.locator('[data-testid="time-travel-banner"]').waitFor();
  assert.ok((await simMs(page)) < 50, 'back at the start');
  assert.equal(await page.locator('[data-testid="speed"] option:checked').innerText(), '1/100×');
  assert.equal(await page.getAttribute('[data-testid="play-pause"]', 'aria-pressed'), 'true');
  await screenshot(page, 'time-travel-election-start.png');
  // slowly: a leader is elected within a few simulated milliseconds
  await page.waitForFunction(() => document.querySelector('[data-testid="member-infra1"]').dataset.role === 'leader', null, { timeout: 20000 });
  await screenshot(page, 'time-travel-election-leader.png');
  await page.click('[data-testid="play-pause"]');
  await page.click('[data-testid="time-travel-return"]');
  await page.locator('[data-testid="time-travel-banner"]').waitFor({ state: 'detached' });
  assert.match(await run(page, 'etcdctl get a --print-value-only'), /\n1\s*$/);
}));
