// Snapshot files between the playground and the computer: `etcdctl snapshot save` offers the
// file as a download; a snapshot file dropped on the console is checked and taken, anything
// else is refused with nothing changed.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { serveDist, withPage, run, screenshot } from './harness.mjs';

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

  const button = page.locator('[data-testid="download-file"][data-file="backup.db"]');
  assert.equal(await button.count(), 1);
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  assert.equal(download.suggestedFilename(), 'backup.db');
  const bytes = [...await readFile(await download.path())];
  assert.ok(bytes.length > 0);
  await screenshot(page, 'snapshot-download.png');

  assert.match(await drop(page, 'copy.db', bytes), /added copy\.db \(\d+ bytes, an etcd snapshot at revision 2 with \d+ keys\)/);
  assert.match(await run(page, 'etcdctl snapshot status copy.db -w table'), /\|\s+HASH\s+\|\s+REVISION\s+\|/);

  assert.match(await drop(page, 'notes.txt', [104, 105]), /notes\.txt is not an etcd snapshot file .* nothing was added/);
  assert.match(await run(page, 'etcdctl snapshot status notes.txt'), /no such file or directory/);
}));
