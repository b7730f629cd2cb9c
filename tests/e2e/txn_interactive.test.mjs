// Issue 21, "the console as a learner meets it": a command that reads the terminal.
// `etcdctl txn -i` prompts `compares:`, `success requests (get, put, del):` and
// `failure requests (get, put, del):` and reads the lines typed, as in a terminal; the
// password prompts of `user add` read with a password field, and the password never shows.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, withPage, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const input = (page) => page.locator('[data-testid="console-input"]');

/** Types a line into the terminal input and presses Enter. */
async function typeLine(page, line) {
  await input(page).fill(line);
  await page.keyboard.press('Enter');
}

/** What the terminal shows of the waiting command (its line, prompts and echoed lines). */
const waiting = (page) => page.locator('[data-testid="terminal-entry"]').innerText();

test('etcdctl txn -i reads compares and requests typed line by line', () => withPage(server.url, async (page) => {
  const entries = page.locator('[data-testid="console-entry"]');
  const before = await entries.count();
  await typeLine(page, 'etcdctl txn -i');
  await page.waitForSelector('[data-testid="terminal-input"]');
  assert.match(await waiting(page), /etcdctl txn -i\ncompares:/);
  assert.equal(await page.locator('[data-testid="console-prompt"]').innerText(), '');
  await typeLine(page, 'version("k") = "0"');
  await typeLine(page, '');
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-entry"]')
    ?.innerText.includes('success requests (get, put, del):'));
  await typeLine(page, 'put k v');
  await typeLine(page, '');
  await page.waitForFunction(() => document.querySelector('[data-testid="terminal-entry"]')
    ?.innerText.includes('failure requests (get, put, del):'));
  await screenshot(page, 'txn-interactive-typing.png');
  await typeLine(page, '');
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="console-entry"]').length > n, before);
  assert.equal(await page.locator('[data-testid="terminal-input"]').count(), 0);
  const text = await entries.nth(before).innerText();
  assert.match(text, /^\$ etcdctl txn -i.*\ncompares:\nversion\("k"\) = "0"\n\nsuccess requests \(get, put, del\):\nput k v\n\nfailure requests \(get, put, del\):\n\nSUCCESS\n\nOK/);
  await screenshot(page, 'txn-interactive.png');
  await page.screenshot({ path: '/tmp/txn-interactive.png' });
  assert.match(await run(page, 'etcdctl get k'), /\nk\nv/);
  // a malformed compare ends the command with etcdctl's error
  await typeLine(page, 'etcdctl txn -i');
  await page.waitForSelector('[data-testid="terminal-input"]');
  const n = await entries.count();
  await typeLine(page, 'value(k) = v');
  await page.waitForFunction((c) => document.querySelectorAll('[data-testid="console-entry"]').length > c, n);
  assert.match(await entries.nth(n).innerText(), /Error: malformed comparison: value\(k\) = v/);
  // Ctrl+C drops a waiting command
  await typeLine(page, 'etcdctl txn');
  await page.waitForSelector('[data-testid="terminal-input"]');
  await input(page).press('Control+c');
  await page.waitForSelector('[data-testid="terminal-input"]', { state: 'detached' });
  assert.match(await entries.last().innerText(), /\$ etcdctl txn\n\^C/);
}));

test('user add asks for the password in a password field and never shows it', () => withPage(server.url, async (page) => {
  const secret = 'Sup3r-s3cret-pw';
  await typeLine(page, 'etcdctl user add root');
  await page.waitForSelector('[data-testid="terminal-input"][data-password="true"]');
  assert.equal(await input(page).getAttribute('type'), 'password');
  assert.match(await page.locator('[data-testid="console-prompt"]').innerText(), /^Password of root:\s*$/);
  await input(page).fill(secret);
  await screenshot(page, 'user-add-prompt.png');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-testid="console-prompt"]')
    ?.innerText.startsWith('Type password of root again'));
  assert.equal(await input(page).inputValue(), '');
  await typeLine(page, secret);
  await page.waitForSelector('[data-testid="terminal-input"]', { state: 'detached' });
  assert.equal(await input(page).getAttribute('type'), 'text');
  const last = await page.locator('[data-testid="console-entry"]').last().innerText();
  assert.match(last, /Password of root: \nType password of root again for confirmation: \nUser root created/);
  await screenshot(page, 'user-add-password.png');
  const all = await page.locator('body').innerText();
  assert.ok(!all.includes(secret), 'the password is not in the page text');
  const html = await page.content();
  assert.ok(!html.includes(secret), 'nor in its markup');
  // ↑ gives back the command line, never the password
  await input(page).press('ArrowUp');
  assert.equal(await input(page).inputValue(), 'etcdctl user add root');
}));
