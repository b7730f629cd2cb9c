// Scripted measurements of the built page in headless Chromium (make bench-web):
//  - the gzip size of everything the page loads (html, js, wasm, css);
//  - "open → console ready", timed inside the page (see open.mjs): 9 first visits in a browser
//    started for each (cold) and 9 in a running browser (warm), median and all runs; and, for
//    comparison with earlier reports, 5 cold opens as Playwright notices the ready flag;
//  - console round trip: median and p99 wall time from Enter to the entry on screen, 100 puts;
//  - IndexedDB work per command (issue 7): the flush's synchronous part (drain + issue) and
//    the wall time until its transactions committed, median and p99 over those 100 puts;
//  - reload with 100k keys: the page fills 100 000 keys (#bench-fill), then a reload is timed
//    from navigation to console ready (members restarted from their IndexedDB disks).
// Prints a small report; it asserts nothing (benchmarks measure, tests assert).
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST, serveDist, newProfile, launch, consoleReady, run } from '../e2e/harness.mjs';
import { FULL_MODULE } from '../../scripts/size.mjs';
import { openTimes as openTimesInPage, describe, median } from './open.mjs';

const pct = (xs, p) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; };

async function sizes() {
  const rows = [];
  for (const name of await readdir(DIST)) {
    if (!/\.(html|js|wasm|css)$/.test(name)) continue;
    const body = await readFile(join(DIST, name));
    rows.push({ name, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  return rows;
}

/** Opens as Playwright notices the ready flag (its polling delays the page, see open.mjs). */
async function openTimesSeen(url, runs = 5) {
  const times = [];
  for (let i = 0; i < runs; i++) {
    const errors = [];
    const context = await launch(newProfile(), errors);
    const page = context.pages()[0] ?? await context.newPage();
    await page.goto(url);
    await consoleReady(page);
    times.push(await page.evaluate(() => performance.now()));
    await context.close();
    if (errors.length) throw new Error(errors.join('\n'));
  }
  return times;
}

async function commandTimes(url, n = 100) {
  const context = await launch(newProfile());
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(url);
  await consoleReady(page);
  const times = await page.evaluate(async (n) => {
    const input = document.querySelector('[data-testid="console-input"]');
    const out = [];
    for (let i = 0; i < n; i++) {
      const before = document.querySelectorAll('[data-testid="console-entry"]').length;
      const t0 = performance.now();
      input.value = `etcdctl put bench/key-${i} value-${i}`;
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      while (document.querySelectorAll('[data-testid="console-entry"]').length === before) {
        await new Promise((r) => setTimeout(r, 0));
      }
      out.push(performance.now() - t0);
    }
    return out;
  }, n);
  const flush = await page.evaluate(() => window.__etcdplayFlushTimes ?? { issue: [], commit: [] });
  await context.close();
  return Object.assign(times, { flush });
}

async function reloadWithKeys(url, n = 100000) {
  const errors = [];
  const context = await launch(newProfile(), errors);
  const page = context.pages()[0] ?? await context.newPage();
  // (the moment the console's ready flag flips, seen from inside the page: Playwright notices
  // it later when the page's tasks keep it waiting)
  await page.addInitScript(() => {
    new MutationObserver(() => {
      const c = document.querySelector('[data-testid="console"]');
      if (c?.dataset.ready === 'true' && window.__benchReadyAt === undefined) window.__benchReadyAt = performance.now();
    }).observe(document, { subtree: true, childList: true, attributes: true });
  });
  const t0 = Date.now();
  await page.goto(`${url}#bench-fill=${n}`);
  await consoleReady(page);
  // Wait until the fill's flush committed.
  await page.waitForFunction(() => (window.__etcdplayFlushTimes?.commit?.length ?? 0) >= 1, null, { timeout: 600000 });
  const fillMs = Date.now() - t0;
  const usage = await page.evaluate(async () => (await navigator.storage.estimate()).usage);
  const runs = [];
  const flips = [];
  for (let i = 0; i < 3; i++) {
    await page.goto(url);
    await consoleReady(page);
    runs.push(await page.evaluate(() => performance.now()));
    flips.push(await page.evaluate(() => window.__benchReadyAt ?? -1));
  }
  const out = await run(page, 'etcdctl get bench/ --prefix --keys-only --limit 1 -w json');
  const m = out.match(/"count":(\d+)/);
  const count = m ? Number(m[1]) : -1;
  if (!m) console.error(`count not found in: ${out.slice(0, 400)}`);
  await context.close();
  if (errors.length) throw new Error(errors.join('\n'));
  return { runs, flips, fillMs, usage, count };
}

const server = await serveDist();
try {
  const rows = await sizes();
  const sum = (rs) => rs.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 });
  const line = (name, r) => `  ${name.padEnd(40)} raw ${String(r.raw).padStart(9)}  gzip ${String(r.gzip).padStart(8)}`;
  // (the full module, web_full-*, is loaded on the first use of a part the lite one leaves out)
  const later = rows.filter((r) => FULL_MODULE.test(r.name));
  const first = rows.filter((r) => !FULL_MODULE.test(r.name));
  console.log('page assets (bytes):');
  for (const r of first) console.log(line(r.name, r));
  console.log(line('total (the first visit)', sum(first)));
  for (const r of later) console.log(line(r.name, r));
  console.log(line('total (the full module, on first use)', sum(later)));

  const cold = await openTimesInPage(server.url);
  console.log(`open → console ready, in the page (flag flipped / its frame painted), cold browser: ${describe(cold)}`);
  const warm = await openTimesInPage(server.url, { warm: true });
  console.log(`open → console ready, in the page (flag flipped / its frame painted), running browser: ${describe(warm)}`);
  const opens = await openTimesSeen(server.url);
  console.log(`open → console ready as Playwright notices it (ms, cold browser): median ${median(opens).toFixed(1)}; runs ${opens.map((t) => t.toFixed(1)).join(', ')}`);

  const cmds = await commandTimes(server.url);
  console.log(`console put round trip (ms, ${cmds.length} runs): median ${median(cmds).toFixed(2)}, p99 ${pct(cmds, 0.99).toFixed(2)}`);
  const { issue, commit } = cmds.flush;
  if (commit.length) {
    console.log(`IndexedDB per flush (ms, ${commit.length} flushes): main-thread drain+issue median ${median(issue).toFixed(2)}, p99 ${pct(issue, 0.99).toFixed(2)}; issue→committed median ${median(commit).toFixed(2)}, p99 ${pct(commit, 0.99).toFixed(2)}`);
  }
  const big = await reloadWithKeys(server.url);
  console.log(`reload with 100k keys (ms, navigation → console ready): median ${median(big.runs).toFixed(1)}; runs ${big.runs.map((t) => t.toFixed(1)).join(', ')} (fill + first flush ${big.fillMs} ms, storage ${(big.usage / 1e6).toFixed(1)} MB, keys after reload ${big.count}); the ready flag flipped in the page at median ${median(big.flips).toFixed(1)} (${big.flips.map((t) => t.toFixed(1)).join(', ')})`);
} finally {
  await server.close();
}
