// The page survives many background watches under many writes (issue 22): 1,000 `etcdctl watch
// k &` jobs, then 2,000 puts of a 100-byte value, all pasted as the console takes a paste (each
// line its own command). What the page keeps is bounded (what many jobs print at one moment is
// gathered into one entry that keeps its head; the console keeps its newest entries), so a put
// that fires every watch keeps its own entry on screen, the page still answers a command, and
// a reload reaches a ready console with the writes there.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, consoleReady, paste, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const WATCHES = 1000;
const PUTS = 2000;
const CHUNK = 250;

/** Waits until the newest entry is the one of `line`. */
async function lastIs(page, line, timeout = 60000) {
  await page.waitForFunction((l) => {
    const es = document.querySelectorAll('[data-testid="console-entry"]');
    const last = es[es.length - 1];
    return last && last.innerText.startsWith(`$ ${l}`);
  }, line, { timeout });
}

/** Runs `line` and returns its entry's text (the console keeps at most 500 entries, so the
 * newest entry is looked for rather than a count that grows). */
async function run(page, line) {
  await page.locator('[data-testid="console-input"]').fill(line);
  await page.keyboard.press('Enter');
  await lastIs(page, line);
  return page.locator('[data-testid="console-entry"]').last().innerText();
}

test('1,000 background watches and 2,000 puts: the page answers and reloads', { timeout: 240000 }, () => withPage(server.url, async (page) => {
  await paste(page, 'etcdctl watch k &\n'.repeat(WATCHES));
  await lastIs(page, 'etcdctl watch k &');
  assert.match(await run(page, 'jobs'), new RegExp(`\\[${WATCHES}\\]\\+\\s+Running`));

  const value = 'v'.repeat(100);
  for (let from = 0; from < PUTS; from += CHUNK) {
    const lines = Array.from({ length: CHUNK }, (_, i) => `etcdctl put k${String(from + i).padStart(4, '0')} ${value}`);
    // the watches watch `k` alone: the last put of each chunk fires all of them
    lines.push(`etcdctl put k ${value}-${from}`);
    await paste(page, `${lines.join('\n')}\n`);
    await lastIs(page, `etcdctl put k ${value}-${from}`, 120000);
  }
  // the last put fired all the watches: its entry says OK, then one entry gathers the events
  assert.match(await page.locator('[data-testid="console-entry"]').last().innerText(), /\nOK\n?$/);
  const gathered = await page.locator('[data-testid="console-job-output"]').last().innerText();
  assert.match(gathered, new RegExp(`^\\[1\\] and ${WATCHES - 1} more jobs: etcdctl watch k &\\nPUT\\nk\\n${value}-1750\\n`));
  assert.doesNotMatch(gathered, /PUT\nk\n… output truncated/, "a gathered entry keeps whole events");
  assert.match(gathered, /… output truncated: \d+ bytes not shown\n?$/);
  await screenshot(page, 'survive-gathered.png');

  // Still answering, and the console keeps a bounded number of entries.
  assert.match(await run(page, 'etcdctl get k1999'), new RegExp(`k1999\\n${value}`));
  const kept = await page.locator('[data-testid="console-entry"]').count();
  assert.ok(kept <= 500, `${kept} entries kept`);
  assert.match(await run(page, 'etcdctl get k --prefix --limit 1 -w fields'), /"Count" : 2001/);
  await screenshot(page, 'survive-watches.png');

  await page.reload();
  await consoleReady(page);
  assert.match(await run(page, 'etcdctl get k0000'), new RegExp(`k0000\\n${value}`));
}));
