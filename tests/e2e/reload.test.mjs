// Issue 21, "clear state after a reload": the console's history comes back (↑), a background
// job a reload ended is named in the console, an exported ETCDCTL_API shows beside the prompt
// before and after a reload, and a v2 key looked for under API 3 gets a hint (only then).
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { serveDist, openFresh, run, consoleReady, screenshot } from './harness.mjs';

let server;
before(async () => { server = await serveDist(); });
after(async () => { await server?.close(); });

test('after a reload: history, the ended job, the API in force, the two keyspaces', async () => {
  const { page, context, errors } = await openFresh(server.url);
  try {
    const api = page.locator('[data-testid="api-version"]');
    assert.equal(await api.innerText(), 'API v3');
    assert.match(await run(page, 'etcdctl watch foo &'), /running in the background/);
    await run(page, 'export ETCDCTL_API=2');
    assert.equal(await api.innerText(), 'API v2');
    await run(page, 'etcdctl set /v2only hello');
    // the flush carries the state (jobs, env) to the disk
    await page.waitForFunction(() => !document.querySelector('.entry.pending'), null, { timeout: 15000 });
    await page.waitForTimeout(300);

    await page.reload();
    await consoleReady(page);
    const note = page.locator('[data-testid="console-note"]');
    await note.waitFor();
    assert.match(await note.innerText(), /background job \[1\] etcdctl watch foo & ended with the reload/);
    assert.equal(await api.innerText(), 'API v2', 'the exported API survived and shows');
    const input = page.locator('[data-testid="console-input"]');
    await input.focus();
    await page.keyboard.press('ArrowUp');
    assert.equal(await input.inputValue(), 'etcdctl set /v2only hello', 'the history survived');
    await screenshot(page, 'reload-state.png');

    // v2 key, API 3: the hint says why nothing came back
    const got = await run(page, 'ETCDCTL_API=3 etcdctl get /v2only');
    assert.match(got, /v2 keyspace/);
    // a key in neither keyspace: no hint
    assert.doesNotMatch(await run(page, 'ETCDCTL_API=3 etcdctl get /nowhere'), /keyspace/);
    // and the reverse: a v3 key under API 2
    await run(page, 'ETCDCTL_API=3 etcdctl put v3only x');
    assert.match(await run(page, 'etcdctl get v3only'), /v3 keyspace/);
  } finally {
    await context.close();
  }
  assert.deepEqual(errors, []);
});
