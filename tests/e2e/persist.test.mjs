// IndexedDB as each member's disk (issue 7), end to end in Debian's Chromium:
//  - a burst of 200 puts with a reload in the middle: every put that printed OK is there
//    afterwards, and the keys form a prefix of the writes issued;
//  - one member's record corrupted from page JavaScript: the disk banner says what is wrong,
//    the member is restored from its peers, "reset the playground" recovers;
//  - two tabs: the second yields and can take over.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { serveDist, newProfile, launch, consoleReady, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const key = (i) => `k${String(i).padStart(3, '0')}`;

async function keys(page) {
  const out = await run(page, 'etcdctl get k --prefix --keys-only');
  return out.split('\n').filter((l) => /^k\d{3}$/.test(l));
}

test('a reload in the middle of a burst keeps every acknowledged write', async () => {
  const errors = [];
  const context = await launch(newProfile(), errors);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    await consoleReady(page);
    // Type 200 puts as fast as the page takes them; after 120, note which printed OK and
    // reload in the same task (writes still in flight are cut off).
    const acked = await page.evaluate(async ({ total, cut }) => {
      const input = document.querySelector('[data-testid="console-input"]');
      const tick = () => new Promise((r) => setTimeout(r, 0));
      for (let i = 0; i < total; i++) {
        input.value = `etcdctl put k${String(i).padStart(3, '0')} v${i}`;
        input.dispatchEvent(new InputEvent('input', { bubbles: true }));
        await tick();
        input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
        await tick();
        if (i === cut) {
          const ok = [...document.querySelectorAll('[data-testid="console-entry"]')]
            .map((e) => e.innerText)
            .filter((t) => /\nOK\n?$/.test(t.trim()))
            .map((t) => t.match(/put (k\d{3})/)?.[1])
            .filter(Boolean);
          const pending = document.querySelectorAll('[data-testid="console-pending"]').length;
          location.reload();
          return { ok, pending };
        }
      }
      return { ok: [], pending: 0 };
    }, { total: 200, cut: 120 }).catch(() => null);
    // (The evaluate may lose its page to the reload before it answers.)
    await page.waitForLoadState('load');
    await consoleReady(page);
    const after = await keys(page);
    const n = after.length;
    // A prefix of the writes issued...
    assert.deepEqual(after, Array.from({ length: n }, (_, i) => key(i)));
    // ...that holds every acknowledged one.
    if (acked) {
      for (const k of acked.ok) assert.ok(after.includes(k), `${k} printed OK but is gone`);
      console.log(`acknowledged ${acked.ok.length}, pending at reload ${acked.pending}, present after ${n}`);
      assert.ok(acked.ok.length > 50, `only ${acked.ok.length} acknowledged`);
    }
    assert.ok(n >= 100 && n <= 121, `present: ${n}`);
    // Writing on continues where it stood.
    assert.match(await run(page, `etcdctl put ${key(n)} again`), /\nOK\n?$/);
    await screenshot(page, 'persist-after-reload.png');
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});

test('a corrupted record shows the banner, the member is restored, reset recovers', async () => {
  const errors = [];
  const context = await launch(newProfile(), errors);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    await consoleReady(page);
    for (let i = 0; i < 5; i++) assert.match(await run(page, `etcdctl put ${key(i)} v${i}`), /\nOK\n?$/);
    // Damage infra2's newest entry record from page JavaScript.
    const damaged = await page.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('etcd-playground');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction(['infra2.entries'], 'readwrite');
        const store = tx.objectStore('infra2.entries');
        const keys = store.getAllKeys();
        keys.onsuccess = () => {
          const last = keys.result[keys.result.length - 1];
          store.put(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), last);
          tx.oncomplete = () => { db.close(); resolve(last); };
        };
        tx.onerror = () => reject(tx.error);
      };
    }));
    await page.reload();
    await consoleReady(page);
    const banner = page.locator('[data-testid="disk-banner"]');
    await banner.waitFor();
    const text = await banner.innerText();
    assert.match(text, new RegExp(`infra2's disk cannot be read: entry ${damaged}: checksum mismatch`));
    assert.match(text, /restored from its peers/);
    await screenshot(page, 'persist-disk-banner.png');
    // Every key is still there, on infra2 too (serializable: its own store).
    assert.deepEqual(await keys(page), [0, 1, 2, 3, 4].map(key));
    const own = await run(page, 'etcdctl --endpoints=127.0.0.1:22379 get k004 --consistency=s');
    assert.match(own, /k004\nv4/);
    // Reset: a fresh playground, no banner, and none after a reload either.
    await page.click('[data-testid="disk-reset"]');
    await banner.waitFor({ state: 'detached' });
    await consoleReady(page);
    assert.deepEqual(await keys(page), []);
    await page.reload();
    await consoleReady(page);
    assert.equal(await page.locator('[data-testid="disk-banner"]').count(), 0);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});

test('every disk damaged: the banner says no peer can restore the cluster and offers reset and export', async () => {
  const errors = [];
  const context = await launch(newProfile(), errors);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    await consoleReady(page);
    for (let i = 0; i < 3; i++) assert.match(await run(page, `etcdctl put ${key(i)} v${i}`), /\nOK\n?$/);
    // Damage the newest entry record of every member (issue 23 item 5).
    await page.evaluate(() => new Promise((resolve, reject) => {
      const open = indexedDB.open('etcd-playground');
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const names = ['infra1.entries', 'infra2.entries', 'infra3.entries'];
        const tx = db.transaction(names, 'readwrite');
        for (const n of names) {
          const store = tx.objectStore(n);
          const keys = store.getAllKeys();
          keys.onsuccess = () => store.put(new Uint8Array([9, 9, 9, 9]), keys.result[keys.result.length - 1]);
        }
        tx.oncomplete = () => { db.close(); resolve(); };
        tx.onerror = () => reject(tx.error);
      };
    }));
    await page.reload();
    await consoleReady(page);
    const banner = page.locator('[data-testid="disk-banner"]');
    await banner.waitFor();
    const text = await banner.innerText();
    assert.match(text, /No member's stored disk could be read with the cluster's membership committed on it, so there is no peer to restore the cluster from/);
    assert.match(text, /infra1's disk cannot be read: entry \d+: checksum mismatch/);
    assert.doesNotMatch(text, /restored from its peers/);
    assert.equal(await page.locator('[data-testid="disk-export"]').count(), 1);
    await screenshot(page, 'persist-unrecoverable-banner.png');
    // Export hands over what can be read: every member's records with its damage named (bytes
    // as base64), and the console's inputs.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="disk-export"]')]);
    assert.equal(download.suggestedFilename(), 'etcd-playground-export.json');
    const exported = JSON.parse(readFileSync(await download.path(), 'utf8'));
    assert.equal(exported.schema, 3);
    assert.deepEqual(Object.keys(exported.members).sort(), ['infra1', 'infra2', 'infra3']);
    for (const [name, m] of Object.entries(exported.members)) {
      assert.match(m.problems.join('; '), /checksum mismatch/, `${name}: ${JSON.stringify(m).slice(0, 600)}`);
      assert.ok(m.entries.some((e) => Buffer.from(e.data_base64, 'base64').includes(key(1))), `${name}: no entry holds ${key(1)}`);
    }
    assert.ok(JSON.stringify(exported.inputs).includes(`etcdctl put ${key(1)} v1`));
    // Reset brings a working cluster back.
    await page.click('[data-testid="disk-reset"]');
    await banner.waitFor({ state: 'detached' });
    await consoleReady(page);
    assert.match(await run(page, 'etcdctl put after-reset 1'), /\nOK\n?$/);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});

test('a second tab yields to the first and can take over', async () => {
  const errors = [];
  const context = await launch(newProfile(), errors);
  try {
    const a = context.pages()[0] ?? await context.newPage();
    await a.goto(server.url);
    await consoleReady(a);
    assert.match(await run(a, 'etcdctl put shared 1'), /\nOK\n?$/);
    const b = await context.newPage();
    await b.goto(server.url);
    const notice = b.locator('[data-testid="second-tab"]');
    await notice.waitFor();
    assert.match(await notice.innerText(), /open in another tab/);
    assert.equal(await b.locator('[data-testid="console-input"]').isDisabled(), true);
    await screenshot(b, 'persist-second-tab.png');
    // Take over: b drives with what a wrote, a yields.
    await b.click('[data-testid="take-over"]');
    await consoleReady(b);
    assert.match(await run(b, 'etcdctl get shared'), /shared\n1/);
    await a.locator('[data-testid="second-tab"]').waitFor();
    assert.equal(await a.locator('[data-testid="console-input"]').isDisabled(), true);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});
