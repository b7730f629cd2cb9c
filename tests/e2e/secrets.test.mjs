// No secret in IndexedDB, in the console's history or on screen: passwords given on a command
// line, in ETCDCTL_PASSWORD and at a prompt show and are stored as pseudonyms («secret-N»);
// a line recalled with ↑ still runs with the password it stands for; after a reload the
// variable that held a password is gone and the console says so.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, openFresh, consoleReady, screenshot, dumpStorage } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

const SECRETS = ['Pw-Line-one1', 'Pw-Env-two22', 'Pw-Prompt-3x'];
const input = (page) => page.locator('[data-testid="console-input"]');
const entries = (page) => page.locator('[data-testid="console-entry"]');

/** Enter on `line`; resolves to the text of the entry it made (its echo is redacted). */
async function enter(page, line) {
  const before = await entries(page).count();
  await input(page).fill(line);
  await page.keyboard.press('Enter');
  // (an entry shows once its writes are durable: until then it is `console-pending`)
  await page.waitForFunction((n) => document.querySelectorAll('[data-testid="console-entry"]').length > n, before);
  return entries(page).last().innerText();
}

/** Types a password at the prompt shown now. */
async function atPrompt(page, text) {
  await page.waitForSelector('[data-testid="terminal-input"][data-password="true"]');
  await input(page).fill(text);
  await page.keyboard.press('Enter');
}


test('passwords are pseudonyms on screen, in history and in IndexedDB; ↑ still works', async () => {
  const { page, context, errors } = await openFresh(server.url);
  try {
    const [line, env, prompt] = SECRETS;

    assert.match(await enter(page, `etcdctl user add root:${line}`), /\$ etcdctl user add root:«secret-1»\nUser root created/);
    await enter(page, 'etcdctl user grant-role root root');
    await input(page).fill('etcdctl user add bob');
    await page.keyboard.press('Enter');
    await atPrompt(page, prompt);
    await atPrompt(page, prompt);
    await page.waitForSelector('[data-testid="terminal-input"]', { state: 'detached' });
    assert.match(await entries(page).last().innerText(), /User bob created/);
    await enter(page, 'etcdctl auth enable');
    assert.match(await enter(page, `etcdctl --user root:${line} put k v`), /«secret-1» put k v\nOK/);
    await enter(page, `export ETCDCTL_PASSWORD=${env}`);
    assert.match(await enter(page, 'etcdctl --user root get k'), /authentication failed/);
    await enter(page, 'unset ETCDCTL_PASSWORD');

    // ↑ recalls the line with the pseudonym; Enter runs it with the password.
    await input(page).press('ArrowUp');
    await input(page).press('ArrowUp');
    await input(page).press('ArrowUp');
    await input(page).press('ArrowUp');
    assert.equal(await input(page).inputValue(), 'etcdctl --user root:«secret-1» put k v');
    await input(page).fill('etcdctl --user root:«secret-1» get k');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => /\$ etcdctl --user root:«secret-1» get k\nk\nv/
      .test(document.querySelector('[data-testid="console-entry"]:last-child')?.innerText ?? ''));
    await screenshot(page, 'secrets-console.png');

    const shown = (await page.locator('body').innerText()) + (await page.content());
    for (const s of SECRETS) assert.ok(!shown.includes(s), `${s} is on the page`);
    // every flush has landed once a later line's output shows
    await enter(page, 'etcdctl endpoint health --user root:«secret-1»');
    const stored = await dumpStorage(page);
    assert.match(stored, /«secret-1»/);
    for (const s of SECRETS) assert.ok(!stored.includes(s), `${s} is in the browser's storage`);

    // A reload: the variable is gone and the console says so; the history has pseudonyms.
    await enter(page, `export ETCDCTL_PASSWORD=${env}`);
    await enter(page, 'etcdctl version');
    await page.reload();
    await consoleReady(page);
    const note = page.locator('[data-testid="console-note"]');
    await note.waitFor();
    assert.match(await note.innerText(), /ETCDCTL_PASSWORD was not kept across the reload \(the page stores no password\)/);
    await input(page).press('ArrowUp');
    await input(page).press('ArrowUp');
    // (the numbers go by first sight: the password typed at the prompt got «secret-2»)
    assert.equal(await input(page).inputValue(), 'export ETCDCTL_PASSWORD=«secret-3»');
    await screenshot(page, 'secrets-reload.png');
    const storedAfter = await dumpStorage(page);
    for (const s of SECRETS) assert.ok(!storedAfter.includes(s), `${s} is in the browser's storage`);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});
