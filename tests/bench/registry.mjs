// Scripted measurements of the Kubernetes /registry sample in headless Chromium (make bench-web):
//  - core: the `load_large` example compiled to wasm (release profile, as the page is) in a
//    Chromium page: loading the large sample (~100 850 keys, ~119 MB) through a fresh
//    three-member world, the wasm memory afterwards, and `get /registry --prefix --keys-only
//    --limit 100` (the request alone, through the world);
//  - the page: `load k8s large` typed in the console (Enter → its entry on screen) and the
//    wasm memory after it, then `etcdctl get /registry --prefix --keys-only --limit 100` typed
//    20 times (Enter → entry on screen), median and max; a reload once the held-back snapshots
//    were taken, and a reload at once after the load (its logs replayed), each with its steps
//    (reading IndexedDB, restoring the members, the rest until the console is ready). Skipped, with a note, on a build whose
//    console has no `load k8s`.
// Needs `trunk build --release` (dist/) and
// `cargo build --release --no-default-features --target wasm32-unknown-unknown --example load_large`.
// Prints a report with the load average; it asserts nothing (benchmarks measure, tests assert).
import { readFile } from 'node:fs/promises';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { ROOT, serveDist, newProfile, launch, consoleReady } from '../e2e/harness.mjs';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');
const MiB = (b) => `${(b / 1048576).toFixed(0)} MiB`;
const EXAMPLE = process.env.LOAD_LARGE_WASM
  || join(ROOT, 'target/wasm32-unknown-unknown/release/examples/load_large.wasm');

async function core(url) {
  const wasm = await readFile(EXAMPLE);
  const errors = [];
  const profile = newProfile();
  const context = await launch(profile, errors);
  const page = context.pages()[0] ?? await context.newPage();
  await page.route('**/bench/load_large.wasm', (route) => route.fulfill({ body: wasm, contentType: 'application/wasm' }));
  await page.route('**/bench/blank', (route) => route.fulfill({ body: '<!DOCTYPE html><title>bench</title>', contentType: 'text/html' }));
  // A page of the same origin without the app (and without its CSP).
  await page.goto(url + 'bench/blank');
  const r = await page.evaluate(async () => {
    const { instance } = await WebAssembly.instantiateStreaming(fetch('/bench/load_large.wasm'), {});
    const { load_large, get_prefix_limit_100, memory } = instance.exports;
    const t0 = performance.now();
    const keys = load_large();
    const loadMs = performance.now() - t0;
    const gets = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      get_prefix_limit_100(10);
      gets.push((performance.now() - t) / 10);
    }
    return { keys, loadMs, gets, memory: memory.buffer.byteLength };
  });
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  if (errors.length) throw new Error(errors.join('\n'));
  return r;
}

async function typed(page, line) {
  return page.evaluate(async (line) => {
    const input = document.querySelector('[data-testid="console-input"]');
    const before = document.querySelectorAll('[data-testid="console-entry"]').length;
    const t0 = performance.now();
    input.value = line;
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    while (document.querySelectorAll('[data-testid="console-entry"]').length === before) {
      await new Promise((r) => setTimeout(r, 0));
    }
    await new Promise((r) => requestAnimationFrame(() => r()));
    const ms = performance.now() - t0;
    const entries = document.querySelectorAll('[data-testid="console-entry"]');
    return { ms, text: entries[entries.length - 1].innerText };
  }, line);
}

/** A fresh profile's page that typed `load k8s large`; `skipped` (the page closed) when its
 * console has no such command. */
async function loadLarge(url) {
  const errors = [];
  const profile = newProfile();
  const context = await launch(profile, errors);
  const page = context.pages()[0] ?? await context.newPage();
  // Trunk announces the instance; keep its memory to read its size.
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__benchWasm = e.detail?.wasm; });
  });
  // (`load k8s` is the full module's: measured there, as a page that handed over runs it)
  await page.addInitScript(() => localStorage.setItem('etcdplay-module', 'full'));
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(url);
  await consoleReady(page);
  const loaded = await typed(page, 'load k8s large');
  if (!loaded.text.includes('loaded the large')) {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    return { skipped: loaded.text.split('\n').slice(0, 3).join(' | ') };
  }
  return { errors, profile, context, page, loaded };
}

async function pageRun(url) {
  const { errors, profile, context, page, loaded, skipped } = await loadLarge(url);
  if (skipped) return { skipped };
  const memory = await page.evaluate(() => window.__benchWasm?.memory?.buffer?.byteLength ?? 0);
  // The load's flush: the largest issue (drain the journals, start the IndexedDB transaction)
  // and commit (until IndexedDB reports it durable) times.
  const flush = await page.evaluate(() => {
    const t = window.__etcdplayFlushTimes ?? { issue: [], commit: [] };
    return { issue: Math.max(0, ...t.issue), commit: Math.max(0, ...t.commit), n: t.commit.length };
  });
  // The members' snapshots, held back during the load, are taken a moment later, one member
  // at a time, each flushed: time from the load's answer until the third such flush committed,
  // and the longest of their flushes' issue times (the page is busy that long at most, plus
  // the member's snapshot itself).
  const snapshotMs = await page.evaluate(async (n) => {
    const t0 = performance.now();
    while ((window.__etcdplayFlushTimes?.commit?.length ?? 0) < n + 3 && performance.now() - t0 < 30000) {
      await new Promise((r) => setTimeout(r, 5));
    }
    const t = window.__etcdplayFlushTimes;
    return { ms: performance.now() - t0, issue: Math.max(...t.issue.slice(n)) };
  }, flush.n);
  const gets = [];
  let sample = '';
  for (let i = 0; i < 20; i++) {
    const r = await typed(page, 'etcdctl get /registry --prefix --keys-only --limit 100');
    gets.push(r.ms);
    sample = r.text;
  }
  // A reload restores the members from their disks (snapshot + log tail).
  await page.goto(url);
  await consoleReady(page);
  const reloadMs = await page.evaluate(() => performance.now());
  const steps = await page.evaluate(() => window.__etcdplayOpenTimes);
  const after = (await typed(page, 'etcdctl get /registry --prefix --keys-only --limit 1 -w json')).text;
  const count = after.match(/"count":(\d+)/)?.[1] ?? `none (${after.slice(0, 200)})`;
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  if (errors.length) throw new Error(errors.join('\n'));
  return { loadMs: loaded.ms, memory, flush, snapshotMs, reloadMs, steps, count, gets, lines: sample.split('\n').filter((l) => l.startsWith('/registry')).length };
}

/** The open's steps (ms from its start): reading the store, restoring, ready. */
const stepsText = (t) => (t ? `read the store ${t.read.toFixed(0)} ms, restore ${(t.restore - t.read).toFixed(0)} ms, the rest ${(t.ready - t.restore).toFixed(0)} ms` : 'no step times');

/** A reload at once after `load k8s large`'s answer: the members' snapshots are still held
 * back, so the restore replays their logs (issue 23's recovery within 5 s). */
async function reloadAtOnce(url) {
  const { errors, profile, context, page, skipped } = await loadLarge(url);
  if (skipped) return { skipped };
  // (the load's own flush committed: what a reload finds is the load's log)
  await page.waitForFunction(() => (window.__etcdplayFlushTimes?.commit?.length ?? 0) > 0);
  const t0 = Date.now();
  await page.reload();
  await consoleReady(page);
  const ms = Date.now() - t0;
  const steps = await page.evaluate(() => window.__etcdplayOpenTimes);
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  if (errors.length) throw new Error(errors.join('\n'));
  return { ms, steps };
}

const server = await serveDist();
try {
  console.log(`load average at start: ${load()}`);
  for (let run = 1; run <= (process.env.SKIP_CORE ? 0 : 2); run++) {
    const c = await core(server.url);
    console.log(`core (load_large.wasm in Chromium), run ${run}: load large sample ${(c.loadMs / 1000).toFixed(2)} s (${c.keys} keys), wasm memory after ${MiB(c.memory)}; get --prefix --keys-only --limit 100: median ${median(c.gets).toFixed(2)} ms (${c.gets.map((x) => x.toFixed(2)).join(', ')}) [load ${load()}]`);
  }
  for (let run = 1; run <= 2; run++) {
    const p = await pageRun(server.url);
    if (p.skipped) {
      console.log(`page: skipped, this build's console has no \`load k8s large\` (it answered: ${p.skipped})`);
      break;
    }
    const r = await reloadAtOnce(server.url);
    console.log(`page, run ${run}: reload at once after \`load k8s large\` (snapshots held back, logs replayed) → console ready ${(r.ms / 1000).toFixed(2)} s (${stepsText(r.steps)}) [load ${load()}]`);
    console.log(`page, run ${run}: \`load k8s large\` Enter → entry on screen ${(p.loadMs / 1000).toFixed(2)} s (of which its IndexedDB flush: issue ${p.flush.issue.toFixed(0)} ms, commit ${p.flush.commit.toFixed(0)} ms), wasm memory after ${MiB(p.memory)}; \`etcdctl get /registry --prefix --keys-only --limit 100\` Enter → entry: median ${median(p.gets).toFixed(1)} ms, max ${Math.max(...p.gets).toFixed(1)} ms (${p.lines} keys shown); held-back snapshots (3 members, one at a time) taken and flushed ${(p.snapshotMs.ms / 1000).toFixed(2)} s after the answer (longest flush issue ${p.snapshotMs.issue.toFixed(0)} ms); reload → console ready ${(p.reloadMs / 1000).toFixed(2)} s (${stepsText(p.steps)}), ${p.count} keys under /registry after it [load ${load()}]`);
  }
} finally {
  await server.close();
}
