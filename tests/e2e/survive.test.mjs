// The page survives many background watches under many writes (issue 22): 200 `etcdctl watch
// k &` jobs, then 2,000 puts of a 100-byte value, all pasted as the console takes a paste (each
// line its own command). What the page keeps is bounded (each job's entry keeps its newest
// lines and says how many it no longer shows; the console keeps its newest entries), so the
// page still answers a command, and a reload reaches a ready console with the writes there.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, newProfile, launch, consoleReady, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const WATCHES = 200;
const PUTS = 2000;
const CHUNK = 250;

/** Pastes `text` into the console input as a clipboard paste would. */
async function paste(page, text) {
  await page.locator('[data-testid="console-input"]').focus();
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    const input = document.querySelector('[data-testid="console-input"]');
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

/** Waits until the newest entry's line is `line` and its output is shown. */
async function lastIs(page, line, timeout = 60000) {
  await page.waitForFunction((l) => {
    const es = document.querySelectorAll('[data-testid="console-entry"]');
    const last = es[es.length - 1];
    return last && last.innerText.startsWith(`$ ${l}`);
  }, line, { timeout });
}

test('200 background watches and 2,000 puts: the page answers and reloads', { timeout: 240000 }, async () => {
  const errors = [];
  const context = await launch(newProfile(), errors);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    await consoleReady(page);

    await paste(page, 'etcdctl watch k &\n'.repeat(WATCHES));
    await lastIs(page, 'etcdctl watch k &');
    assert.match(await run(page, 'jobs'), new RegExp(`\\[${WATCHES}\\]\\+\\s+Running`));

    const value = 'v'.repeat(100);
    for (let from = 0; from < PUTS; from += CHUNK) {
      const lines = Array.from({ length: CHUNK }, (_, i) => `etcdctl put k${String(from + i).padStart(4, '0')} ${value}`);
      // every watch watches `k` only: make the last put of each chunk fire them all
      lines.push(`etcdctl put k ${value}-${from}`);
      await paste(page, `${lines.join('\n')}\n`);
      await lastIs(page, `etcdctl put k ${value}-${from}`, 120000);
    }

    // Still answering, and the console keeps a bounded number of entries.
    assert.match(await run(page, 'etcdctl get k1999'), new RegExp(`k1999\\n${value}`));
    const kept = await page.locator('[data-testid="console-entry"]').count();
    assert.ok(kept <= 500, `${kept} entries kept`);
    assert.match(await run(page, 'etcdctl get k --prefix --count-only -w fields'), /"Count" : 2001/);
    await screenshot(page, 'survive-watches.png');

    await page.reload();
    await consoleReady(page);
    assert.match(await run(page, 'etcdctl get k0000'), new RegExp(`k0000\\n${value}`));
  } finally {
    await context.close();
  }
  if (errors.length) throw new Error(`the page reported errors:\n${errors.join('\n')}`);
});
