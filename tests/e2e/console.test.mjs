// The walking skeleton end to end: the built page in Debian's Chromium, the console driving
// the real core, and a put surviving a reload and a browser restart through IndexedDB.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, newProfile, launch, consoleReady, run, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

test('console answers like etcdctl and a put survives reload and restart', async () => {
  const profile = newProfile();
  const errors = [];
  let context = await launch(profile, errors);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(server.url);
    await consoleReady(page);

    // The input has focus on load.
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'console-input');
    assert.match(await page.locator('.titlebar').innerText(), /etcd playground/);

    assert.match(await run(page, 'etcdctl put foo bar'), /^\$ etcdctl put foo bar\nOK$/m);
    assert.match(await run(page, 'etcdctl get foo'), /foo\nbar/);
    assert.match(await run(page, 'etcdctl version'), /etcdctl version: 3\.4\.23\nAPI version: 3\.4/);
    assert.match(await run(page, 'etcdctl nosuchcommand'), /Error: unknown command "nosuchcommand" for "etcdctl"/);

    // ↑ recalls the previous line; Ctrl+L clears the screen.
    await page.keyboard.press('ArrowUp');
    assert.equal(await page.locator('[data-testid="console-input"]').inputValue(), 'etcdctl nosuchcommand');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('[data-testid="console-input"]').inputValue(), '');
    await page.keyboard.press('Control+l');
    assert.equal(await page.locator('[data-testid="console-entry"]').count(), 0);

    // Tab completes commands and flags; several candidates are listed under the input.
    const input = page.locator('[data-testid="console-input"]');
    await input.fill('etcdctl member li');
    await page.keyboard.press('Tab');
    assert.equal(await input.inputValue(), 'etcdctl member list ');
    assert.equal(await page.evaluate(() => document.activeElement?.dataset?.testid), 'console-input');
    await input.fill('etcdctl get foo --pre');
    await page.keyboard.press('Tab');
    assert.equal(await input.inputValue(), 'etcdctl get foo --prefix ');
    await input.fill('etcdctl l');
    await page.keyboard.press('Tab');
    assert.deepEqual(await page.locator('[data-testid="completions"] .candidate').allInnerTexts(), ['lease', 'lock']);
    await screenshot(page, 'completion.png');
    await input.fill('');
    assert.equal(await page.locator('[data-testid="completions"]').count(), 0);

    // The help panel opens from the title bar.
    await page.click('[data-testid="help-link"]');
    assert.match(await page.locator('[data-testid="help-panel"]').innerText(), /What is this\?/);
    await page.click('[data-testid="help-link"]');

    // Reload: the stored inputs are replayed and the key is still there.
    await page.reload();
    await consoleReady(page);
    assert.match(await run(page, 'etcdctl get foo'), /foo\nbar/);
    await screenshot(page, 'console.png');
    await context.close();

    // A browser restart on the same profile: still there.
    context = await launch(profile, errors);
    const page2 = context.pages()[0] ?? await context.newPage();
    await page2.goto(server.url);
    await consoleReady(page2);
    assert.match(await run(page2, 'etcdctl get foo'), /foo\nbar/);
    await screenshot(page2, 'console-after-restart.png');
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});
