// Scripted memory measurements of the page in headless Chromium (make bench-web, issue 23):
// `load k8s large` (~100 850 keys), then `etcdctl snapshot save s.db`, then
// `etcdctl get /registry --prefix -w json`, each typed in the console (Enter → its entry on
// screen). After each: the time, the wasm memory (it only grows, so it is the peak so far), the
// renderer's JS and embedder heaps, and whether the page is still answering (a trap in wasm
// ends it). Prints a report with the load average; it asserts nothing.
import { loadavg } from 'node:os';
import { rmSync } from 'node:fs';
import { serveDist, newProfile, launch, consoleReady, typed } from '../e2e/harness.mjs';

const MiB = (b) => `${(b / 1048576).toFixed(0)} MiB`;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

const server = await serveDist();
const errors = [];
const profile = newProfile();
const context = await launch(profile, errors);
try {
  const page = context.pages()[0] ?? await context.newPage();
  // (`load k8s` is the full module's: measured there, as a page that handed over runs it)
  await page.addInitScript(() => localStorage.setItem('etcdplay-module', 'full'));
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__benchWasm = e.detail?.wasm; });
  });
  await page.goto(server.url);
  await consoleReady(page);
  const cdp = await context.newCDPSession(page);
  const heaps = async () => {
    const u = await cdp.send('Runtime.getHeapUsage');
    const wasm = await page.evaluate(() => window.__benchWasm?.memory?.buffer?.byteLength ?? 0);
    return `wasm memory ${MiB(wasm)}, JS heap ${MiB(u.usedSize)}, embedder ${MiB(u.embedderHeapUsedSize)}`;
  };
  for (const line of ['load k8s large', 'etcdctl snapshot save s.db', 'etcdctl get /registry --prefix -w json']) {
    const r = await typed(page, line);
    const first = r.text.split('\n').slice(1, 2).join('').slice(0, 80);
    console.log(`${line}: ${(r.ms / 1000).toFixed(2)} s; ${r.text === 'STOPPED' ? 'THE PAGE STOPPED' : `"${first}…"`}; ${await heaps()} [load ${load()}]`);
    if (r.text === 'STOPPED') break;
  }
  const still = await typed(page, 'etcdctl get /registry/namespaces/default --keys-only', 60000);
  console.log(`then a get: ${still.ms} ms (${still.text === 'STOPPED' ? 'stopped' : 'answers'}); page errors: ${errors.length ? errors.join(' | ') : 'none'}`);
} finally {
  await context.close();
  await server.close();
  rmSync(profile, { recursive: true, force: true });
}
