// Snapshot files between the playground and the computer: `etcdctl snapshot save` offers the
// file as a download, in etcd's own format (Debian's real etcdctl 3.4.23 reads and restores
// it); a snapshot file dropped on the console — one a real etcd saved included — is checked
// and taken, anything else is refused with nothing changed.

import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, withPage, run, screenshot } from './harness.mjs';

const ETCDCTL = '/usr/bin/etcdctl';

/** Real etcdctl on a file: [exit code, stdout, stderr]. */
function realEtcdctl(args) {
  const r = spawnSync(ETCDCTL, args, { encoding: 'utf8', env: { ...process.env, ETCDCTL_API: '3' } });
  return [r.status ?? -1, r.stdout ?? '', `${r.stderr ?? ''}${r.error ?? ''}`];
}

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

async function drop(page, name, bytes) {
  const entries = page.locator('[data-testid="console-entry"]');
  const before = await entries.count();
  await page.evaluate(([name, bytes]) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], name));
    document.querySelector('[data-testid="console"]')
      .dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, [name, bytes]);
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="console-entry"]').length > n, before);
  return entries.nth(before).innerText();
}

test('snapshot save downloads the file; a dropped snapshot is checked and taken', () => withPage(server.url, async (page) => {
  assert.match(await run(page, 'etcdctl put a 1'), /OK/);
  assert.match(await run(page, 'etcdctl snapshot save backup.db'), /Snapshot saved at backup.db/);

  const button = page.locator('[data-testid="snapshot-download"][data-file="backup.db"]');
  assert.equal(await button.count(), 1);
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  assert.equal(download.suggestedFilename(), 'backup.db');
  const bytes = [...await readFile(await download.path())];
  assert.ok(bytes.length > 0);
  await screenshot(page, 'snapshot-download.png');

  // the downloaded file is a real etcd snapshot: real etcdctl reads and restores it
  const dir = await mkdtemp(join(tmpdir(), 'etcdplay-snap-'));
  try {
    const file = join(dir, 'backup.db');
    await writeFile(file, Buffer.from(bytes));
    const [code, out, err] = realEtcdctl(['snapshot', 'status', file, '-w', 'json']);
    assert.equal(code, 0, err);
    const st = JSON.parse(out);
    assert.equal(st.revision, 2);
    assert.equal(st.totalKey, 7);
    // the same hash the page prints for it
    const mine = JSON.parse((await run(page, 'etcdctl snapshot status backup.db -w json')).match(/\{"hash".*\}/)[0]);
    assert.deepEqual(mine, st);
    const [rc, , rerr] = realEtcdctl(['snapshot', 'restore', file, '--data-dir', join(dir, 'restored')]);
    assert.equal(rc, 0, rerr);
    assert.match(rerr, /"msg":"restored snapshot"/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }

  assert.match(await drop(page, 'copy.db', bytes), /added copy\.db \(\d+ bytes, an etcd snapshot at revision 2 with \d+ keys\)/);
  assert.match(await run(page, 'etcdctl snapshot status copy.db -w table'), /\|\s+HASH\s+\|\s+REVISION\s+\|/);

  assert.match(await drop(page, 'notes.txt', [104, 105]), /notes\.txt is not an etcd snapshot file .* nothing was added/);
  assert.match(await run(page, 'etcdctl snapshot status notes.txt'), /no such file or directory/);
}));

test('a snapshot a real etcd saved, dropped on the page, is read, restored and browsed', () => withPage(server.url, async (page) => {
  const real = [...await readFile(new URL('../../src/bbolt/testdata/etcd-3.4.23-small.db', import.meta.url))];
  assert.match(await drop(page, 'real.db', real), /added real\.db \(24608 bytes, an etcd snapshot at revision 7 with 14 keys\)/);
  // what Debian's etcdctl 3.4.23 printed for this file (src/bbolt/testdata/README.md)
  assert.match(await run(page, 'etcdctl snapshot status real.db -w json'),
    /\{"hash":3293791613,"revision":7,"totalKey":14,"totalSize":24576\}/);
  assert.match(await run(page, 'etcdctl snapshot restore real.db --data-dir from-real'), /restored snapshot/);
  assert.match(await run(page, 'load real.db'), /loaded the 3 keys \(46 bytes\) real\.db holds at revision 7/);
  const node = (key) => `[data-testid="keyspace-tree"] [data-testid="tree-node"][data-key="${key}"]`;
  await page.locator(node('foo')).waitFor();
  await page.locator(node('foo')).click();
  assert.match(await page.locator('[data-testid="key-detail"] [data-testid="detail-value"]').innerText(), /^again$/);
  await screenshot(page, 'snapshot-real-loaded.png');
}));

