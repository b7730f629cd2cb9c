// Issue 18: the page against a real etcd. Debian's etcd (installed by `make test`'s setup) is
// started here on free loopback ports with --cors naming the page's origin, and stopped at the
// end. The page connects (the title bar's "real etcd" strip), writes, and the real etcdctl
// reads it; the real etcdctl writes, and the page's console, key tree and a background watch
// see it; `disconnect` brings back the simulated cluster as it was; nothing of the real
// cluster (lines, passwords) is stored, and a reload is the simulated cluster again.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serveDist, openFresh, consoleReady, run, screenshot, dumpStorage } from './harness.mjs';

const ETCD = '/usr/bin/etcd';
const ETCDCTL = '/usr/bin/etcdctl';
const have = existsSync(ETCD) && existsSync(ETCDCTL);

let server;
let etcd;
let dir;

function freePort() {
  return new Promise((ok, err) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
    s.on('error', err);
  });
}

function etcdctl(url, ...args) {
  return execFileSync(ETCDCTL, ['--endpoints', url, ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ETCDCTL_API: '3' } });
}

before(async () => {
  server = await serveDist();
  if (!have) return;
  const origin = new URL(server.url).origin;
  const [client, peer] = [await freePort(), await freePort()];
  dir = mkdtempSync(join(tmpdir(), 'etcdplay-real-'));
  const url = `http://127.0.0.1:${client}`;
  const peerUrl = `http://127.0.0.1:${peer}`;
  etcd = {
    url,
    child: spawn(ETCD, [
      '--name', 'infra1', '--data-dir', join(dir, 'data'),
      '--listen-client-urls', url, '--advertise-client-urls', url,
      '--listen-peer-urls', peerUrl, '--initial-advertise-peer-urls', peerUrl,
      '--initial-cluster', `infra1=${peerUrl}`, '--initial-cluster-state', 'new',
      '--heartbeat-interval', '10', '--election-timeout', '100',
      `--cors=${origin}`,
    ], { stdio: 'ignore' }),
  };
  for (let i = 0; ; i++) {
    try { etcdctl(url, '--command-timeout=1s', 'endpoint', 'health'); break; } catch (e) {
      if (i > 200) throw new Error(`etcd did not become healthy: ${e}`);
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
});

after(async () => {
  await server?.close();
  if (etcd) {
    etcd.child.kill('SIGTERM');
    await new Promise((ok) => { etcd.child.once('exit', ok); setTimeout(ok, 3000); });
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const entries = (page) => page.locator('[data-testid="console-entry"]');

test('the page connects to a real etcd, reads and writes it, and comes back to the simulation', { skip: !have && 'no /usr/bin/etcd (scripts/setup.sh test installs it)' }, async () => {
  const { page, context, errors } = await openFresh(server.url);
  try {
    assert.match(await run(page, 'etcdctl put sim-key from-sim'), /OK/);
    const origin = new URL(server.url).origin;

    // where nothing answers, the page says what to do, the exact --cors flag included; the
    // first-visit module has no gateway client, so the line is handed over to the full module
    // (issue 20), which runs it on what was stored
    const moduleOf = () => page.evaluate(() => window.__etcdplayModule);
    assert.equal(await moduleOf(), 'lite');
    const dead = `http://127.0.0.1:${await freePort()}`;
    await run(page, `connect ${dead}`);
    assert.equal(await moduleOf(), 'full');
    // (the probe runs as a job until the address answers or fails)
    await page.waitForFunction(() => /exit status 1/.test(
      [...document.querySelectorAll('[data-testid="console-entry"]')].pop()?.innerText));
    const refused = await entries(page).last().innerText();
    assert.match(refused, new RegExp(`connect: ${dead}: no answer this page may read`));
    assert.ok(refused.includes(`--cors='${origin}'`), refused);
    assert.equal(await page.locator('[data-testid="connection"]').count(), 0);

    // what is typed in the strip is one word of the line, never shell syntax (issue 23)
    await page.locator('[data-testid="connect-open"]').click();
    await page.locator('[data-testid="connect-url"]').fill(`${dead} && etcdctl del "" --prefix`);
    await page.locator('[data-testid="connect-submit"]').click();
    await page.waitForFunction(() => /^\$ connect '[^]*exit status 1/.test(
      [...document.querySelectorAll('[data-testid="console-entry"]')].pop()?.innerText));
    assert.match(await run(page, 'etcdctl get sim-key --print-value-only'), /\nfrom-sim\s*$/);

    // the title bar's strip runs `connect URL` in the console
    await page.locator('[data-testid="connect-open"]').click();
    assert.ok((await page.locator('[data-testid="connect-cors"]').innerText()).includes(origin));
    await page.locator('[data-testid="connect-url"]').fill(etcd.url);
    await page.locator('[data-testid="connect-submit"]').click();
    const banner = page.locator('[data-testid="connection"]');
    await banner.waitFor();
    assert.equal(await page.locator('[data-testid="connection-endpoints"]').innerText(), etcd.url);
    await page.waitForFunction(() => /connected to the real etcd cluster at/.test(
      [...document.querySelectorAll('[data-testid="console-entry"]')].pop()?.innerText));
    assert.match(await entries(page).last().innerText(), /1 member: infra1 \([0-9a-f]+\)/);

    // the page writes; the real etcdctl reads it
    assert.match(await run(page, 'etcdctl put from-page hello'), /OK/);
    assert.equal(etcdctl(etcd.url, 'get', 'from-page', '--print-value-only'), 'hello\n');
    assert.match(await run(page, 'etcdctl endpoint status -w table'), new RegExp(`${etcd.url.replace(/[.:/]/g, '\\$&')} \\|`));

    // the real etcdctl writes; a background watch, the console and the tree see it
    assert.match(await run(page, 'etcdctl watch from-real &'), /\[1\] running in the background/);
    etcdctl(etcd.url, 'put', 'from-real', 'world');
    // (its events arrive at the bottom, tagged with the job: issue 21)
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="console-job-output"]')]
      .some((e) => /\[1\] etcdctl watch from-real &\nPUT\nfrom-real\nworld/.test(e.innerText)), null, { timeout: 10000 });
    assert.match(await run(page, 'etcdctl get from-real --print-value-only'), /\nworld\s*$/);
    await page.locator('[data-testid="tree-node"][data-key="from-real"]').waitFor({ timeout: 10000 });
    assert.equal(await page.locator('[data-testid="tree-node"][data-key="sim-key"]').count(), 0);
    await page.locator('[data-testid="tree-node"][data-key="from-page"]').click();
    assert.equal(await page.locator('[data-testid="detail-value"]').innerText(), 'hello');
    await screenshot(page, 'real-etcd-connected.png');

    // what acts on the simulation says it does not apply
    assert.match(await run(page, 'stop infra1'), /not available while connected to the real cluster/);

    // a password goes through the gateway's token and shows (and is kept) only as a pseudonym
    etcdctl(etcd.url, 'user', 'add', 'root:Real-Pw-9');
    etcdctl(etcd.url, 'user', 'grant-role', 'root', 'root');
    etcdctl(etcd.url, 'auth', 'enable');
    assert.match(await run(page, 'etcdctl --user root:Real-Pw-9 get from-page --print-value-only'), /«secret-1» get from-page --print-value-only\nhello/);
    assert.match(await run(page, 'etcdctl get from-page'), /user name is empty/);
    etcdctl(etcd.url, '--user', 'root:Real-Pw-9', 'auth', 'disable');

    // back to the simulated cluster, as it was
    await page.locator('[data-testid="disconnect"]').click();
    await banner.waitFor({ state: 'detached' });
    await page.waitForFunction(() => /^\$ disconnect/.test(
      [...document.querySelectorAll('[data-testid="console-entry"]')].pop()?.innerText), null, { timeout: 5000 })
      .catch(async (e) => { throw new Error(`${e}\n${(await entries(page).allInnerTexts()).slice(-3).join('\n')}`); });
    assert.match(await entries(page).last().innerText(), /Terminated[\s\S]*disconnected from/);
    assert.match(await run(page, 'etcdctl get sim-key --print-value-only'), /\nfrom-sim\s*$/);
    assert.doesNotMatch(await run(page, 'etcdctl get from-page'), /hello/);
    await page.locator('[data-testid="tree-node"][data-key="sim-key"]').waitFor();
    assert.equal(await page.locator('[data-testid="tree-node"][data-key="from-real"]').count(), 0);

    const stored = await dumpStorage(page);
    for (const never of ['Real-Pw-9', 'put from-page', 'hello', 'connect http', 'from-real', 'disconnect']) {
      assert.ok(!stored.includes(never), `IndexedDB holds ${never}`);
    }
    await page.reload();
    await consoleReady(page);
    assert.equal(await page.locator('[data-testid="connection"]').count(), 0);
    assert.match(await run(page, 'etcdctl get sim-key --print-value-only'), /\nfrom-sim\s*$/);
  } finally {
    await context.close();
  }
  const real = errors.filter((e) => !/Synchronous XMLHttpRequest|ERR_CONNECTION_REFUSED|Failed to load resource/.test(e));
  assert.deepEqual(real, []);
});

test('an address that takes the connection but never answers leaves the page usable', async () => {
  // (a TCP server that accepts and stays silent: the probe is a job, Ctrl+C gives up, and it
  // gives up by itself after its timeout)
  const sockets = [];
  const silent = createServer((s) => sockets.push(s));
  await new Promise((ok) => silent.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${silent.address().port}`;
  const { page, context, errors } = await openFresh(server.url);
  try {
    assert.match(await run(page, 'etcdctl put sim-key still-here'), /OK/);
    const input = page.locator('[data-testid="console-input"]');
    await input.fill(`connect ${url}`);
    await page.keyboard.press('Enter');
    const running = page.locator('[data-testid="console-running"]');
    await running.waitFor();
    assert.equal(await running.innerText(), 'running… (Ctrl+C stops it)');
    // the page answers meanwhile: typing works
    await input.fill('etcdctl get sim-key');
    assert.equal(await input.inputValue(), 'etcdctl get sim-key');
    await input.press('Control+c');
    await page.waitForFunction(() => /\^C/.test(
      [...document.querySelectorAll('[data-testid="console-entry"]')].pop()?.innerText));
    assert.equal(await page.locator('[data-testid="connection"]').count(), 0);
    assert.match(await run(page, 'etcdctl get sim-key --print-value-only'), /\nstill-here\s*$/);

    // left alone, it gives up after its timeout and says so
    await run(page, `connect ${url}`);
    await page.waitForFunction(() => /exit status 1/.test(
      [...document.querySelectorAll('[data-testid="console-entry"]')].pop()?.innerText), null, { timeout: 15000 });
    assert.match(await page.locator('[data-testid="console-entry"]').last().innerText(),
      new RegExp(`connect: ${url}: ${url.replace(/[.:/]/g, '\\$&')} did not answer within 3s`));
    assert.equal(await page.locator('[data-testid="connection"]').count(), 0);
    assert.match(await run(page, 'etcdctl get sim-key --print-value-only'), /\nstill-here\s*$/);
    assert.deepEqual(errors.filter((e) => !/Failed to load resource|ERR_|TimeoutError|aborted/.test(e)), []);
  } finally {
    await context.close();
    for (const s of sockets) s.destroy();
    await new Promise((ok) => silent.close(ok));
  }
});
