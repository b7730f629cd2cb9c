// Scripted measurements of how long the page keeps its main thread, in headless Chromium
// (make bench-web; issue 20):
//  - open → console ready on a throttled profile: Chromium's network emulation at 10 Mbit/s
//    with 40 ms latency and a 4× CPU slowdown (DevTools protocol), 3 cold opens on fresh
//    profiles timed inside the page (see open.mjs), and 3 more as Playwright notices the ready
//    flag (as reported before), median and all runs;
//  - the longest main-thread frame (Long Animation Frames; long tasks where those are not
//    reported) while `load k8s large` runs (Enter → its flush committed), while the held-back
//    member snapshots are taken and flushed, and while a reload of that store restores it
//    (navigation → console ready), and while the share button checks that session's link (its
//    replay runs the whole load again, a step at a time), with how many frames took over 100
//    ms, and that reload's own marks (window.__etcdplayOpenTimes: records read, restored,
//    console ready).
// Needs `trunk build --release` (dist/). Prints a report with the load average; it asserts
// nothing (benchmarks measure, tests assert).
import { rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { serveDist, newProfile, launch, consoleReady } from '../e2e/harness.mjs';
import { openTimes, describe, median, throttle } from './open.mjs';

const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

/** Collects every long frame the page's main thread has from its start on. */
function watchFrames() {
  window.__benchFrames = [];
  const type = PerformanceObserver.supportedEntryTypes.includes('long-animation-frame')
    ? 'long-animation-frame' : 'longtask';
  window.__benchFrameType = type;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__benchFrames.push({ start: e.startTime, ms: e.duration });
  }).observe({ type, buffered: true });
}

/** The longest frame (ms) and how many took over 100 ms, of those since `from` (page time). */
async function framesSince(page, from) {
  // (an observer hears of a frame a moment after it ended: let the last one arrive)
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 200))));
  return page.evaluate((from) => {
    const fs = window.__benchFrames.filter((f) => f.start + f.ms >= from);
    return {
      longest: Math.max(0, ...fs.map((f) => f.ms)),
      over100: fs.filter((f) => f.ms > 100).length,
      type: window.__benchFrameType,
    };
  }, from);
}

const flushes = (page) => page.evaluate(() => window.__etcdplayFlushTimes?.commit?.length ?? 0);

async function throttledOpens(url, runs = 3) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const errors = [];
    const profile = newProfile();
    const context = await launch(profile, errors);
    const page = context.pages()[0] ?? await context.newPage();
    await throttle(context, page);
    await page.goto(url);
    await consoleReady(page);
    times.push(await page.evaluate(() => performance.now()));
    await context.close();
    rmSync(profile, { recursive: true, force: true });
    if (errors.length) throw new Error(errors.join('\n'));
  }
  return times;
}

async function longFrames(url) {
  const errors = [];
  const profile = newProfile();
  const context = await launch(profile, errors);
  const page = context.pages()[0] ?? await context.newPage();
  // (`load k8s` is the full module's: measured there, as a page that handed over runs it)
  await page.addInitScript(() => localStorage.setItem('etcdplay-module', 'full'));
  await page.addInitScript(watchFrames);
  await page.goto(url);
  await consoleReady(page);
  const before = await flushes(page);
  const issuedBefore = await page.evaluate(() => window.__etcdplayFlushTimes?.issue?.length ?? 0);
  const t0 = await page.evaluate(() => performance.now());
  await page.locator('[data-testid="console-input"]').fill('load k8s large');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => /loaded the large|Error/.test(
    [...document.querySelectorAll('[data-testid="console-entry"]')].pop()?.innerText ?? ''), null, { timeout: 600000, polling: 20 });
  // the flush that stores the load is issued in a task queued when its entry shows (a
  // zero-delay timer queued after it runs after it): then wait until every flush issued
  // has committed
  await page.evaluate(() => new Promise((r) => setTimeout(r, 0)));
  await page.waitForFunction((n) => {
    const t = window.__etcdplayFlushTimes;
    return t && t.issue.length > n && t.commit.length === t.issue.length;
  }, issuedBefore, { timeout: 600000 });
  const t1 = await page.evaluate(() => performance.now());
  const loading = await framesSince(page, t0);
  // the three held-back snapshots, each flushed
  const loaded = await flushes(page);
  await page.waitForFunction((n) => (window.__etcdplayFlushTimes?.commit?.length ?? 0) >= n + 3, loaded, { timeout: 600000 });
  const snapshots = await framesSince(page, t1);
  await page.reload();
  await consoleReady(page);
  const reloading = await framesSince(page, 0);
  const ready = await page.evaluate(() => performance.now());
  // the page's own marks (ms from the restore's start: records read, restored, console ready):
  // `ready` above also holds the navigation, the module's load and Playwright's notice
  const steps = await page.evaluate(() => window.__etcdplayOpenTimes ?? null);
  // the share button's check of that session's link: it replays the whole load, a step at a
  // time (until the strip shows the link, or why there is none)
  const t2 = await page.evaluate(() => performance.now());
  await page.locator('[data-testid="share"]').click();
  await page.locator('[data-testid="share-url"], [data-testid="share-error"]').first().waitFor({ timeout: 600000 });
  const t3 = await page.evaluate(() => performance.now());
  const checking = await framesSince(page, t2);
  const checked = await page.locator('[data-testid="share-url"]').count() === 1;
  await context.close();
  rmSync(profile, { recursive: true, force: true });
  if (errors.length) throw new Error(errors.join('\n'));
  return { loading, loadMs: t1 - t0, snapshots, reloading, ready, steps, checking, checkMs: t3 - t2, checked };
}

const server = await serveDist();
try {
  console.log(`load average at start: ${load()}`);
  const inPage = await openTimes(server.url, { runs: 3, throttled: true });
  console.log(`open → console ready, throttled (10 Mbit/s, 40 ms latency, 4× CPU slowdown), in the page (flag flipped / its frame painted): ${describe(inPage)} [load ${load()}]`);
  const slow = await throttledOpens(server.url);
  console.log(`open → console ready, throttled, as Playwright notices it (ms): median ${median(slow).toFixed(0)}; runs ${slow.map((t) => t.toFixed(0)).join(', ')} [load ${load()}]`);
  const f = await longFrames(server.url);
  const text = (x) => `longest ${x.longest.toFixed(0)} ms, ${x.over100} over 100 ms`;
  const stepsText = (t) => (t ? ['read', 'restore', 'ready'].map((k) => `${k} ${Number(t[k]).toFixed(0)}`).join(', ') : 'not published');
  console.log(`main thread (${f.loading.type}): during \`load k8s large\` until its flush committed (${(f.loadMs / 1000).toFixed(2)} s): ${text(f.loading)}; during the held-back snapshots: ${text(f.snapshots)}; during the reload of that store until the console was ready (${(f.ready / 1000).toFixed(2)} s as Playwright noticed it; in the page, ms from the restore's start: ${stepsText(f.steps)}): ${text(f.reloading)}; during the share button's check of that session's link (${(f.checkMs / 1000).toFixed(2)} s, ${f.checked ? 'the link shown' : 'no link'}): ${text(f.checking)} [load ${load()}]`);
} finally {
  await server.close();
}
