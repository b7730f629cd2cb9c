// The keyspace panel: keys written in the console show in the tree; a key's detail and
// history; the revision slider shows an older store; a hostile key is text, never markup.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const node = (key) => `[data-testid="keyspace-tree"] [data-testid="tree-node"][data-key="${key}"]`;
const HOSTILE = '<img src=x onerror=alert(1)>';

test('tree, detail, history, revision slider and hostile keys', () => withPage(server.url, async (page) => {
  assert.match(await run(page, 'etcdctl put /registry/pods/default/web-1 v1'), /OK/);
  assert.match(await run(page, 'etcdctl put /registry/pods/default/web-2 v1'), /OK/);
  assert.match(await run(page, 'etcdctl put /registry/pods/default/web-1 v2'), /OK/);
  assert.match(await run(page, `etcdctl put /config '{"replicas":3,"zones":["a","b"]}'`), /OK/);
  assert.match(await run(page, 'etcdctl del /registry/pods/default/web-2'), /1/);
  assert.match(await run(page, `etcdctl put '${HOSTILE}' '${HOSTILE}'`), /OK/);

  // One write traced: the put's Raft entry is outlined in every log, its revision shown.
  await page.locator('[data-testid="console-entry"]').nth(2).locator('[data-testid="entry-trace"]').click();
  assert.match(await page.locator('[data-testid="trace-revisions"]').innerText(), /^4$/);
  assert.ok(await page.locator('[data-testid="logs"] .entry.traced').count() >= 3);
  await screenshot(page, 'keyspace-traced-write.png');

  // The tree: top-level folders with counts; open the folders down to the pods.
  await page.waitForSelector(node('/'));
  for (const f of ['/', '/registry/', '/registry/pods/', '/registry/pods/default/']) await page.click(node(f));
  assert.equal(await page.locator(node('/registry/pods/default/web-2')).count(), 0, 'deleted keys are gone');
  await page.click(node('/registry/pods/default/web-1'));
  const detail = page.locator('[data-testid="key-detail"]');
  assert.match(await detail.locator('[data-testid="detail-value"]').innerText(), /^v2$/);
  assert.equal(await detail.locator('[data-testid="detail-version"]').innerText(), '2');
  const history = await detail.locator('[data-testid="key-history"]').innerText();
  assert.match(history, /PUT\t2\tv2/);
  assert.match(history, /CREATE\t1\tv1/);
  await screenshot(page, 'keyspace-detail.png');

  // JSON is shown pretty.
  await page.click(node('/config'));
  assert.match(await detail.locator('[data-testid="detail-value"]').innerText(), /"replicas": 3,\n\s+"zones": \[/);

  // The slider: at revision 3 (after the second put), web-2 exists and web-1 holds v1.
  await page.locator('[data-testid="revision-slider"]').fill('3');
  await page.waitForFunction(() => document.querySelector('[data-testid="revision-label"]').textContent.startsWith('3 of'));
  await page.waitForSelector(node('/registry/pods/default/web-2'));
  await page.click(node('/registry/pods/default/web-1'));
  assert.match(await detail.locator('[data-testid="detail-value"]').innerText(), /^v1$/);
  await screenshot(page, 'keyspace-old-revision.png');

  // Compact, then ask for a compacted revision: etcd's error.
  await page.click('[data-testid="revision-live"]');
  assert.match(await run(page, 'etcdctl compact 4'), /compacted revision 4/);
  await page.locator('[data-testid="revision-slider"]').fill('2');
  await page.waitForSelector('[data-testid="keyspace-error"]');
  assert.match(await page.locator('[data-testid="keyspace-error"]').innerText(), /required revision has been compacted/);
  await screenshot(page, 'keyspace-compacted.png');
  await page.click('[data-testid="revision-live"]');

  // The hostile key: text in the tree, the detail and the console; no element, no dialog.
  await page.waitForSelector(node(HOSTILE));
  await page.click(node(HOSTILE));
  assert.equal(await detail.locator('[data-testid="detail-key"]').innerText(), HOSTILE);
  assert.equal(await detail.locator('[data-testid="detail-value"]').innerText(), HOSTILE);
  assert.equal(await page.locator('img').count(), 0);
  await page.fill('[data-testid="keyspace-filter"]', 'onerror');
  assert.equal(await page.locator('[data-testid="tree-node"]').count(), 1);
  await screenshot(page, 'keyspace-hostile.png');
  await page.fill('[data-testid="keyspace-filter"]', '');

  // The v2 keyspace is separate: its tree shows only v2 keys.
  assert.match(await run(page, 'ETCDCTL_API=2 etcdctl set /v2dir/greeting hello'), /hello/);
  await page.click('[data-testid="keyspace-v2"]');
  await page.waitForSelector(node('/'));
  await page.click(node('/'));
  await page.click(node('/v2dir/'));
  await page.click(node('/v2dir/greeting'));
  assert.equal(await detail.locator('[data-testid="detail-value"]').innerText(), 'hello');
  assert.equal(await page.locator(node('/config')).count(), 0);
  await screenshot(page, 'keyspace-v2.png');
  await page.click('[data-testid="keyspace-v3"]');
  await page.waitForSelector(node('/config'));
}, { width: 1280, height: 720 }));

test('a background watch sees later writes, and the write trace names the events it fired', () => withPage(server.url, async (page) => {
  assert.match(await run(page, 'etcdctl watch foo --prefix &'), /\[1\] running in the background/);
  const watchEntry = page.locator('[data-testid="console-entry"]').first();
  assert.equal(await watchEntry.locator('[data-testid="console-background"]').count(), 1);
  assert.match(await run(page, 'etcdctl put foo bar'), /\nOK\s*$/);
  // the event arrives at the bottom, tagged with its job (issue 21), not far above
  assert.match(await page.locator('[data-testid="console-job-output"]').last().innerText(), /\[1\] etcdctl watch foo --prefix &\nPUT\nfoo\nbar/);
  assert.doesNotMatch(await watchEntry.innerText(), /PUT/);
  assert.match(await run(page, 'jobs'), /\[1\]\+\s+Running\s+etcdctl watch foo --prefix &/);

  // The put's trace: its revision and the event it fired to watch 1.
  await page.locator('[data-testid="console-entry"]').nth(1).locator('[data-testid="entry-trace"]').click();
  assert.match(await page.locator('[data-testid="trace-watch-events"]').innerText(), /watch 1 on infra1: PUT foo \(rev 2\)/);
  await screenshot(page, 'trace-watch-events.png');

  assert.match(await run(page, 'kill %1'), /\[1\]\+\s+Terminated\s+etcdctl watch foo --prefix/);
  assert.equal(await watchEntry.locator('[data-testid="console-background"]').count(), 0);
  assert.match(await run(page, 'etcdctl put foo again'), /\nOK\s*$/);
  assert.doesNotMatch(await watchEntry.innerText(), /again/);
}, { width: 1280, height: 800 }));
