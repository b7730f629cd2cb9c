// Issue 21, "new output must be in view": after every command and every background event the
// end of the newest output is inside the console's visible area, unless the user scrolled up on
// purpose (then a "new output ↓" marker takes them down); background watch events arrive at the
// bottom, in the order they happen.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

/** Whether the last line of the console's newest output is inside its visible area. */
function endInView(page) {
  return page.evaluate(() => {
    const out = document.querySelector('[data-testid="console-output"]');
    const last = out.lastElementChild;
    if (!last) return true;
    const box = out.getBoundingClientRect();
    const r = last.getBoundingClientRect();
    return r.bottom <= box.bottom + 1 && r.bottom >= box.top;
  });
}

async function waitEndInView(page) {
  await page.waitForFunction(() => {
    const out = document.querySelector('[data-testid="console-output"]');
    const last = out.lastElementChild;
    const box = out.getBoundingClientRect();
    const r = last.getBoundingClientRect();
    return r.bottom <= box.bottom + 1 && r.bottom >= box.top;
  }, null, { timeout: 15000 });
}

/** The text of the last thing in the console's output. */
const lastOutput = (page) => page.evaluate(
  () => document.querySelector('[data-testid="console-output"]').lastElementChild.innerText);

test('a long output ends in view; scrolled up, a marker takes the user down', () => withPage(server.url, async (page) => {
  // Longer than the console: its last line (etcdctl's help ends with its flags) is in view.
  await run(page, 'etcdctl --help');
  await waitEndInView(page);
  await run(page, 'etcdctl --help');
  await waitEndInView(page);
  assert.match(await lastOutput(page), /--write-out/);
  await screenshot(page, 'output-long-in-view.png');

  // The user scrolls up on purpose; a click elsewhere on the page runs a line: it stays
  // where the user is, and the marker says more came.
  await page.evaluate(() => { document.querySelector('[data-testid="console-output"]').scrollTop = 0; });
  await page.waitForFunction(() => document.querySelector('[data-testid="console-output"]').scrollTop === 0);
  await page.waitForTimeout(100);
  await page.click('[data-testid="member-read-infra2"]');
  await page.waitForSelector('[data-testid="new-output"]');
  assert.equal(await endInView(page), false);
  assert.equal(await page.evaluate(() => document.querySelector('[data-testid="console-output"]').scrollTop), 0);
  await screenshot(page, 'output-new-output-marker.png');
  await page.click('[data-testid="new-output"]');
  await waitEndInView(page);
  assert.equal(await page.locator('[data-testid="new-output"]').count(), 0);

  // Scrolled up again, a typed line brings the end back into view.
  await page.evaluate(() => { document.querySelector('[data-testid="console-output"]').scrollTop = 0; });
  await page.waitForTimeout(100);
  await run(page, 'etcdctl version');
  await waitEndInView(page);
  assert.match(await lastOutput(page), /API version: 3\.4/);
}, { width: 1280, height: 720 }));

test('background watch events arrive at the bottom, in the order they happen', () => withPage(server.url, async (page) => {
  const granted = await run(page, 'etcdctl lease grant 3');
  const id = granted.match(/lease ([0-9a-f]+) granted/)[1];
  await run(page, `etcdctl put foo short-lived --lease=${id}`);
  assert.match(await run(page, 'etcdctl watch foo &'), /\[1\] running in the background/);
  await run(page, 'etcdctl put foo two --lease=' + id);
  assert.match(await lastOutput(page), /^\[1\] etcdctl watch foo &\nPUT\nfoo\ntwo\s*$/);
  // time passes: the lease expires and the watch sees the delete, below the advance
  await run(page, 'advance 5s');
  await page.waitForFunction(() => /DELETE/.test(document.querySelector('[data-testid="console-output"]').lastElementChild.innerText));
  assert.match(await lastOutput(page), /^\[1\] etcdctl watch foo &\nDELETE\nfoo\s*$/);
  await waitEndInView(page);
  const texts = await page.locator('[data-testid="console-output"] > .entry').allInnerTexts();
  const order = texts.map((t) => t.split('\n')[0]);
  assert.deepEqual(order.slice(-3), ['[1] etcdctl watch foo &', '$ advance 5s', '[1] etcdctl watch foo &']);
  // the entry that started the job gained nothing
  const start = page.locator('[data-testid="console-entry"]').nth(2);
  assert.doesNotMatch(await start.innerText(), /PUT|DELETE/);
  await screenshot(page, 'output-background-events.png');
  await run(page, 'kill %1');
}, { width: 1280, height: 720 }));
