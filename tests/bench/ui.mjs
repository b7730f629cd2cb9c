// Scripted measurements of the playground's pictures in headless Chromium (make bench-web):
//  - animation: frame intervals (requestAnimationFrame) over 10 s of play at the default
//    speed (1×) with writes going on; reports the longest frame and how many exceeded 50 ms;
//  - the key tree at 100 000 keys (`#bench-tree=100000` fills the panel with synthetic keys):
//    time from the click that opens a folder to the next frame with the new rows drawn.
// Prints a report; it asserts nothing (benchmarks measure, tests assert).
import { serveDist, newProfile, launch, consoleReady, run } from '../e2e/harness.mjs';

const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };

async function animation(url, writes) {
  const errors = [];
  const context = await launch(newProfile(), errors);
  const page = context.pages()[0] ?? await context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(url);
  await consoleReady(page);
  for (let i = 0; i < 20; i++) await run(page, `etcdctl put /bench/k${i} v${i}`);
  await page.click('[data-testid="play-pause"]');
  const frames = await page.evaluate(async (writes) => {
    const deltas = [];
    let last = performance.now();
    const end = last + 10000;
    const input = document.querySelector('[data-testid="console-input"]');
    let i = 0;
    const writer = writes && setInterval(() => {
      input.value = `etcdctl put /bench/live${i++} x`;
      input.dispatchEvent(new InputEvent('input', { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    }, 1000);
    await new Promise((done) => {
      const tick = (now) => {
        deltas.push(now - last);
        last = now;
        if (now < end) requestAnimationFrame(tick); else done();
      };
      requestAnimationFrame(tick);
    });
    if (writer) clearInterval(writer);
    return deltas;
  }, writes);
  const sim = await page.locator('[data-testid="sim-time"]').innerText();
  await context.close();
  if (errors.length) throw new Error(errors.join('\n'));
  return { frames, sim };
}

async function tree(url) {
  const errors = [];
  const context = await launch(newProfile(), errors);
  const page = context.pages()[0] ?? await context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(url + '#bench-tree=100000');
  await consoleReady(page);
  await page.waitForFunction(() => document.querySelector('[data-testid="key-count"]')?.textContent === '100000 keys');
  const open = async (key, expect) => page.evaluate(async ([key, expect]) => {
    const sel = (k) => `[data-testid="keyspace-tree"] [data-key="${CSS.escape(k)}"]`;
    const row = document.querySelector(sel(key) + ' button');
    const t0 = performance.now();
    row.click();
    await new Promise((done) => {
      const check = () => (document.querySelector(sel(expect)) ? done() : requestAnimationFrame(check));
      check();
    });
    await new Promise((r) => requestAnimationFrame(() => r()));
    return performance.now() - t0;
  }, [key, expect]);
  const out = [];
  out.push(['/ (20 namespaces below)', await open('/', '/registry/')]);
  out.push(['/registry/ (20 folders)', await open('/registry/', '/registry/ns-00/')]);
  out.push(['/registry/ns-00/', await open('/registry/ns-00/', '/registry/ns-00/pods/')]);
  out.push(['/registry/ns-00/pods/ (5000 keys)', await open('/registry/ns-00/pods/', '/registry/ns-00/pods/pod-0000000')]);
  // Scroll to the bottom of the 5000 rows and back.
  const scroll = await page.evaluate(async () => {
    const el = document.querySelector('[data-testid="keyspace-tree"]');
    const t0 = performance.now();
    el.scrollTop = el.scrollHeight;
    el.dispatchEvent(new Event('scroll'));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    return performance.now() - t0;
  });
  const rows = await page.locator('[data-testid="tree-node"]').count();
  await context.close();
  if (errors.length) throw new Error(errors.join('\n'));
  return { out, scroll, rows };
}

const server = await serveDist();
try {
  console.log(`load average at start: ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  for (const [writes, what] of [[false, 'play only'], [true, 'play and a put typed every second']]) {
    const a = await animation(server.url, writes);
    const f = a.frames.slice(1);
    const over = f.filter((d) => d > 50);
    console.log(`animation, 10 s at 1×, ${what}: ${f.length} frames, median ${median(f).toFixed(1)} ms, max ${Math.max(...f).toFixed(1)} ms, frames over 50 ms: ${over.length}${over.length ? ' (' + over.map((d) => d.toFixed(0)).join(', ') + ')' : ''} (simulated clock at the end: ${a.sim})`);
  }
  const t = await tree(server.url);
  console.log('key tree, 100 000 keys: click → next frame with the rows drawn');
  for (const [what, ms] of t.out) console.log(`  open ${what.padEnd(36)} ${ms.toFixed(1)} ms`);
  console.log(`  scroll to the end of the open folder: ${t.scroll.toFixed(1)} ms; rows in the DOM: ${t.rows}`);
} finally {
  await server.close();
}
