// Issue 23 item 4: a full browser storage quota. Chromium aborts a transaction that does not
// fit with `error.name == "QuotaExceededError"`; here the page's IndexedDB transactions are
// made to end that way on demand (Chromium 156 ignores CDP's Storage.overrideQuotaForOrigin
// for the page's own estimate and writes, so the quota cannot be shrunk for real). The members
// raise etcd's NOSPACE alarm, reads keep answering, writes get etcd's error, and once space is
// back `alarm disarm` lets writes in; nothing typed is lost across a reload.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, newProfile, launch, consoleReady, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

/** While `window.__storageFull` is set, every read-write transaction the page commits aborts
 * for the quota once its requests are done, as Chromium's does (its requests succeed; the
 * commit fails). */
function simulateQuota() {
  const error = Object.getOwnPropertyDescriptor(IDBTransaction.prototype, 'error');
  Object.defineProperty(IDBTransaction.prototype, 'error', {
    configurable: true,
    get() { return this.__quota ?? error.get.call(this); },
  });
  for (const name of ['put', 'add', 'delete', 'clear']) {
    const issue = IDBObjectStore.prototype[name];
    IDBObjectStore.prototype[name] = function (...args) {
      const req = issue.apply(this, args);
      this.transaction.__last = req;
      return req;
    };
  }
  const commit = IDBTransaction.prototype.commit;
  IDBTransaction.prototype.commit = function () {
    if (!(window.__storageFull && this.mode === 'readwrite')) return commit.call(this);
    const fail = () => {
      this.__quota = new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      this.abort();
    };
    if (this.__last && this.__last.readyState === 'pending') this.__last.addEventListener('success', fail);
    else fail();
    return undefined;
  };
}

const NOSPACE = 'Error: etcdserver: mvcc: database space exceeded';

test('a full storage quota: NOSPACE, reads answer, disarm after space is back, nothing lost', async () => {
  const errors = [];
  const context = await launch(newProfile(), errors);
  try {
    await context.addInitScript(simulateQuota);
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    await consoleReady(page);
    assert.match(await run(page, 'etcdctl put before full'), /\nOK/);

    await page.evaluate(() => { window.__storageFull = true; });
    // the write that met the full storage ran (kept in the tab); the members raise NOSPACE
    assert.match(await run(page, 'etcdctl put during full'), /\nOK/);
    const banner = page.locator('[data-testid="disk-banner"]');
    await banner.waitFor();
    assert.match(await banner.innerText(), /storage for this page is full.*QuotaExceededError.*NOSPACE alarm.*etcdctl alarm disarm/s);
    // reads, the playground's own commands and the alarm list answer
    assert.match(await run(page, 'etcdctl get before'), /before\nfull/);
    assert.match(await run(page, 'etcdctl get during'), /during\nfull/);
    assert.match(await run(page, 'help'), /playground commands/);
    assert.equal((await run(page, 'etcdctl alarm list')).match(/alarm:NOSPACE/g)?.length, 3);
    assert.ok((await run(page, 'etcdctl put again x')).includes(NOSPACE), 'the cluster itself refuses');
    await screenshot(page, 'quota-full.png');

    // space is back: the next flush commits, the banner goes, disarm lets writes in
    await page.evaluate(() => { window.__storageFull = false; });
    assert.match(await run(page, 'etcdctl alarm disarm'), /alarm:NOSPACE/);
    await banner.waitFor({ state: 'detached' });
    assert.match(await run(page, 'etcdctl put after space'), /\nOK/);

    await page.reload();
    await consoleReady(page);
    assert.match(await run(page, 'etcdctl get after'), /after\nspace/);
    assert.match(await run(page, 'etcdctl get during'), /during\nfull/);
    assert.equal(await page.locator('[data-testid="disk-banner"]').count(), 0);
    // the history kept what was typed while the storage was full
    const input = page.locator('[data-testid="console-input"]');
    for (let i = 0; i < 10; i++) await input.press('ArrowUp');
    assert.equal(await input.inputValue(), 'etcdctl put during full');
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});
