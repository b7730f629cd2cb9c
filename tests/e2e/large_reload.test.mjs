// Issue 23, 1(b): `load k8s large` then `etcdctl del /registry --prefix`, three times. Before
// the memory bounds, the third load trapped the wasm, every later event panicked, and a reload
// trapped again while restoring: the page never became ready. Here the third load answers,
// the page keeps answering, and a reload reaches a ready console with the third load's keys;
// `| wc -l` counts every one of them (the entry's bound applies to the line, not to a pipe).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, consoleReady, screenshot, typed } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

/** Types `line` and waits for its entry; fails if the page stopped. */
async function run(page, line) {
  const { text } = await typed(page, line, 180000);
  assert.notEqual(text, 'STOPPED', `the page stopped after: ${line}`);
  return text;
}

test('three large loads with deletes between them, then a reload', { timeout: 600000 }, () => withPage(server.url, async (page) => {
  for (let round = 1; round <= 3; round++) {
    const loaded = await run(page, 'load k8s large');
    assert.doesNotMatch(loaded, /error|panicked/i, `load ${round}: ${loaded.slice(0, 300)}`);
    const count = await run(page, 'etcdctl get /registry --prefix --limit 1 -w json');
    const keys = Number(count.match(/"count":(\d+)/)?.[1]);
    assert.ok(keys > 100000, `load ${round}: ${keys} keys; the load said: ${loaded.slice(0, 400)}`);
    if (round < 3) {
      const deleted = await run(page, 'etcdctl del /registry --prefix');
      assert.match(deleted, /\n\d{6}\n?$/, `delete ${round}: ${deleted.slice(0, 200)}`);
    }
  }
  assert.match(await run(page, 'etcdctl get /registry/namespaces/default --keys-only'), /\/registry\/namespaces\/default/);
  const t0 = Date.now();
  await page.reload();
  await consoleReady(page);
  // a measurement (issue 23's recovery guarantee: ready within 5 s), printed, not asserted
  const ms = Date.now() - t0;
  const steps = await page.evaluate(() => JSON.stringify(window.__etcdplayOpenTimes));
  const stored = await page.evaluate(async () => (await navigator.storage.estimate()).usage);
  console.log(`reload of the stored large sample: console ready after ${ms} ms (steps, ms from the open: ${steps}; ${(stored / 1e6).toFixed(0)} MB stored)`);
  const after = await run(page, 'etcdctl get /registry --prefix --limit 1 -w json');
  assert.ok(Number(after.match(/"count":(\d+)/)?.[1]) > 100000, `after the reload: ${after.slice(0, 200)}`);
  // a pipe reads all of etcdctl's output, though the entry would keep only its head
  assert.equal(await run(page, 'etcdctl get /registry --prefix --keys-only | wc -l'),
    '$ etcdctl get /registry --prefix --keys-only | wc -l\n201700\n');
  await screenshot(page, 'large-reload.png');
}));
