// Open → console ready, timed inside the page (issue 20), for web.mjs and frames.mjs.
//
// The page is left alone while it opens: an init script notes when the console's ready flag
// flips (a MutationObserver) and when the frame that shows it was painted (the next animation
// frame, then a task), and calls back through a binding. Waiting with Playwright's selectors
// instead evaluates its injected script in the page and polls it while the page works, which
// delays the very thing measured (by 20–50 ms here) and notices the flag later still.
// Beside each open's median: when the wasm had arrived (its resource timing) and the first
// contentful paint, both read after the timing: what the network took, and what the page's own
// work after it.
//
// Two kinds of first visit, each on an empty profile (nothing stored, nothing cached):
//  - cold: a browser started for the run (its processes and font caches start cold too);
//  - warm: a fresh browser context in a browser that is already running, as when someone
//    follows a link from a tutorial open in another tab.
import { chromium } from 'playwright-core';
import { rmSync } from 'node:fs';
import { CHROMIUM_ARGS, launch, newProfile } from '../e2e/harness.mjs';

export const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };

function noteReady() {
  new MutationObserver(() => {
    const c = document.querySelector('[data-testid="console"]');
    if (c?.dataset.ready !== 'true' || window.__benchFlip !== undefined) return;
    window.__benchFlip = performance.now();
    requestAnimationFrame(() => {
      const ch = new MessageChannel();
      ch.port1.onmessage = () => window.__benchOpened(window.__benchFlip, performance.now());
      ch.port2.postMessage(0);
    });
  }).observe(document, { subtree: true, childList: true, attributes: true });
}

/** Chromium's network emulation at 10 Mbit/s with 40 ms latency and a 4× CPU slowdown. */
export async function throttle(context, page) {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 40,
    downloadThroughput: 10e6 / 8,
    uploadThroughput: 10e6 / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
}

/** One open of `url` in `context`: { flip, painted, wasm (arrived), fcp (first paint) }, ms since navigation. */
async function openOnce(context, url, throttled) {
  const errors = [];
  const page = context.pages()[0] ?? await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  let opened;
  const done = new Promise((ok) => { opened = ok; });
  await page.exposeFunction('__benchOpened', (flip, painted) => opened({ flip, painted }));
  await page.addInitScript(noteReady);
  if (throttled) await throttle(context, page);
  await page.goto(url);
  const t = await Promise.race([
    done,
    new Promise((_, fail) => setTimeout(() => fail(new Error(`${url}: not ready after 60 s`)), 60000)),
  ]);
  if (errors.length) throw new Error(errors.join('\n'));
  // (read after the timing, so as not to disturb it: when the wasm had arrived, and the first
  // contentful paint, whose entry comes a frame after the paint itself)
  const seen = await page.evaluate(() => new Promise((ok) => {
    const wasm = performance.getEntriesByType('resource').find((e) => e.name.endsWith('_bg.wasm'))?.responseEnd ?? NaN;
    const fcp = () => performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
    let tries = 0;
    const look = () => (fcp() !== undefined || ++tries > 20 ? ok({ wasm, fcp: fcp() ?? NaN }) : setTimeout(look, 50));
    look();
  }));
  return { ...t, ...seen };
}

/**
 * `runs` first visits of `url`: { flip: [ms], painted: [ms] }. `warm`: each in a fresh context
 * of one running browser (after one visit that is not counted); else each in a browser of its
 * own on a fresh profile. `throttled`: 10 Mbit/s, 40 ms latency, 4× CPU slowdown.
 */
export async function openTimes(url, { runs = 9, warm = false, throttled = false } = {}) {
  const out = { flip: [], painted: [], wasm: [], fcp: [] };
  const browser = warm
    ? await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS })
    : null;
  try {
    for (let i = warm ? -1 : 0; i < runs; i++) {
      const profile = warm ? null : newProfile();
      const context = warm ? await browser.newContext() : await launch(profile);
      try {
        const t = await openOnce(context, url, throttled);
        if (i >= 0) for (const k of Object.keys(out)) out[k].push(t[k]);
      } finally {
        await context.close();
        if (profile) rmSync(profile, { recursive: true, force: true });
      }
    }
  } finally {
    await browser?.close();
  }
  return out;
}

/** "median F / P ms (runs f/p, …); wasm arrived W, first paint C" for a report line. */
export function describe({ flip, painted, wasm = [], fcp = [] }) {
  const runs = flip.map((f, i) => `${f.toFixed(0)}/${painted[i].toFixed(0)}`).join(', ');
  const at = (xs) => (xs.length && xs.every(Number.isFinite) ? `${median(xs).toFixed(0)} ms` : 'not seen');
  return `median ${median(flip).toFixed(0)} / ${median(painted).toFixed(0)} ms (runs ${runs}); median wasm arrived ${at(wasm)}, first paint ${at(fcp)}`;
}
