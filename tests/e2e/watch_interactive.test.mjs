// `etcdctl watch -i` in the page: the lines typed while it runs go to it, its watches print
// their events, and Ctrl+D ends it as etcdctl ends (exit 3); the console is the shell's again.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

test('watch -i takes typed watch lines until Ctrl+D', () => withPage(server.url, async (page) => {
  assert.match(await run(page, 'etcdctl put foo 1'), /OK/);
  assert.match(await run(page, 'etcdctl put foo 2'), /OK/);
  const entries = page.locator('[data-testid="console-entry"]');
  await run(page, 'etcdctl watch -i');
  const job = entries.last();
  await page.locator('[data-testid="console-running"]').waitFor();
  const input = page.locator('[data-testid="console-input"]');
  const count = await entries.count();
  for (const line of ['watch foo --rev=2', 'progress', 'nope']) {
    await input.fill(line);
    await page.keyboard.press('Enter');
  }
  await page.waitForFunction(() => /only support watch/.test(
    [...document.querySelectorAll('[data-testid="console-entry"]')].pop().innerText));
  assert.equal(await entries.count(), count, 'the lines went to the watch, not to new entries');
  const text = await job.innerText();
  assert.match(text, /watch foo --rev=2\nPUT\nfoo\n1\nPUT\nfoo\n2\n/);
  assert.match(text, /progress notify: 3/);
  assert.match(text, /Invalid command nope \(only support watch\)/);
  await screenshot(page, 'watch-interactive.png');

  await input.focus();
  await page.keyboard.press('Control+d');
  await page.locator('[data-testid="console-running"]').waitFor({ state: 'detached' });
  assert.match(await job.innerText(), /Error: Error reading watch request line: EOF[\s\S]*exit status 3/);
  assert.match(await run(page, 'etcdctl get foo --print-value-only'), /\n2\s*$/);
}));
