// Shared pieces of the browser tests: a static server for dist/ on loopback and Debian's
// Chromium driven by playwright-core (never a downloaded browser).
import { createServer } from 'node:http';
import { readFile, mkdir } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

export const ROOT = resolve(new URL('../..', import.meta.url).pathname);
export const DIST = join(ROOT, 'dist');
export const SHOTS = join(ROOT, 'target', 'e2e');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.wasm': 'application/wasm',
  '.css': 'text/css',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Serves dist/ on 127.0.0.1 at a free port, gzip-encoded to a browser that accepts it (as
 * static hosts serve it: the bytes a first visit transfers are the gzip ones that
 * `scripts/size.mjs` counts); resolves to { url, close }. */
export async function serveDist() {
  const gzipped = new Map();
  const server = createServer(async (req, res) => {
    try {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(DIST, path));
      if (!file.startsWith(DIST)) throw new Error('outside dist');
      if (path.endsWith('/')) file = join(file, 'index.html');
      let body = await readFile(file);
      const headers = { 'content-type': TYPES[extname(file)] || 'application/octet-stream' };
      if (/\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        if (!gzipped.has(file)) gzipped.set(file, gzipSync(body, { level: 9 }));
        body = gzipped.get(file);
        headers['content-encoding'] = 'gzip';
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end('not found');
    }
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}/`, close: () => new Promise((ok) => server.close(ok)) };
}

export const CHROMIUM_ARGS = [
  '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
];

const profiles = [];
// Profiles hold IndexedDB data (hundreds of MB after the large /registry sample): removed when
// the test or benchmark process ends (not on close: a restart test relaunches the same profile).
process.on('exit', () => {
  for (const p of profiles) {
    try { rmSync(p, { recursive: true, force: true }); } catch { /* already gone */ }
  }
});

/** A fresh browser profile directory (IndexedDB lives there across reloads and restarts). */
export function newProfile() {
  const p = mkdtempSync(join(tmpdir(), 'etcdplay-profile-'));
  profiles.push(p);
  return p;
}

/** Launches Chromium on `profile`; every page error and console error is collected in `errors`. */
export async function launch(profile, errors = []) {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 800 },
  });
  const watch = (page) => {
    page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
    // Hostile content must never run: any dialog fails the test.
    page.on('dialog', (d) => { errors.push(`dialog: ${d.type()} ${d.message()}`); d.dismiss().catch(() => {}); });
  };
  context.pages().forEach(watch);
  context.on('page', watch);
  return context;
}

/** Waits until the console has restored the stored inputs and takes input. */
export async function consoleReady(page) {
  await page.waitForSelector('[data-testid="console"][data-ready="true"]', { timeout: 30000 });
}

/** Types a line into the console, presses Enter, and returns the new entry's text. */
export async function run(page, line) {
  const entries = page.locator('[data-testid="console-entry"]');
  const before = await entries.count();
  // (a line the first-visit module hands over to the full one reloads the page: the mark is
  // gone then, and the line's entry is the last one showing it)
  await page.evaluate(() => { window.__etcdplayRunMark = true; });
  await page.locator('[data-testid="console-input"]').fill(line);
  await page.keyboard.press('Enter');
  await page.waitForFunction((n) => !window.__etcdplayRunMark
    || document.querySelectorAll('[data-testid="console-entry"]').length > n, before, { timeout: 60000 });
  // The line's own entry: the first new one showing it (an entry that lands meanwhile, such
  // as a line the page ran after a question, or entries a return from the past brings back,
  // is not it); the first new one if none shows it within a few seconds.
  const head = `$ ${line.split('\n')[0]}`;
  const reloaded = await page.evaluate(() => !window.__etcdplayRunMark).catch(() => true);
  const found = await page.waitForFunction(([n, head]) => {
    const es = document.querySelectorAll('[data-testid="console-entry"]');
    const shows = (i) => es[i].querySelector('.cmd')?.innerText.startsWith(head);
    if (!window.__etcdplayRunMark) {
      for (let i = es.length - 1; i >= 0; i--) if (shows(i)) return i + 1;
      return false;
    }
    for (let i = n; i < es.length; i++) if (shows(i)) return i + 1;
    return false;
  }, [before, head], { timeout: reloaded ? 60000 : 5000 })
    .then(async (h) => (await h.jsonValue()) - 1, () => -1);
  return entries.nth(found >= 0 ? found : before).innerText();
}

/**
 * Types `line`, presses Enter and waits (up to `timeout`) for the newest entry to be its own,
 * or for the stopped banner (a trap in wasm ends the page); resolves to { ms, text }, text
 * 'STOPPED' when the page stopped. For long commands whose entry is the newest one.
 */
export async function typed(page, line, timeout = 600000) {
  await page.locator('[data-testid="console-input"]').fill(line);
  const t0 = Date.now();
  await page.keyboard.press('Enter');
  await page.waitForFunction((l) => {
    if (document.querySelector('[data-testid="stopped-banner"]')) return true;
    const es = document.querySelectorAll('[data-testid="console-entry"]');
    const last = es[es.length - 1];
    return last && last.innerText.startsWith(`$ ${l}`);
  }, line, { timeout, polling: 100 });
  const ms = Date.now() - t0;
  const text = await page.evaluate(() => {
    const es = document.querySelectorAll('[data-testid="console-entry"]');
    return document.querySelector('[data-testid="stopped-banner"]') ? 'STOPPED' : es[es.length - 1].innerText;
  });
  return { ms, text };
}

/**
 * Runs `fn(page, context)` on the page freshly opened in a new browser profile (console ready),
 * then closes the browser and fails if the page raised an error or a dialog.
 */
export async function withPage(url, fn, { width = 1280, height = 800 } = {}) {
  const errors = [];
  const context = await launch(newProfile(), errors);
  try {
    const page = context.pages()[0] ?? await context.newPage();
    await page.setViewportSize({ width, height });
    await page.goto(url);
    await consoleReady(page);
    await fn(page, context);
  } finally {
    await context.close();
  }
  if (errors.length) throw new Error(`the page reported errors:\n${errors.join('\n')}`);
}

/** Pastes `text` into the console input as a clipboard paste would. */
export async function paste(page, text) {
  await page.locator('[data-testid="console-input"]').focus();
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    const input = document.querySelector('[data-testid="console-input"]');
    input.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

/** Clicks the title bar's share button and returns the link (fails with the page's reason). */
export async function shareLink(page) {
  await page.locator('[data-testid="share"]').click();
  await page.locator('[data-testid="share-panel"]').waitFor();
  if (await page.locator('[data-testid="share-error"]').count() > 0) {
    throw new Error(`no share link: ${await page.locator('[data-testid="share-panel"]').innerText()}`);
  }
  const link = await page.locator('[data-testid="share-url"]').inputValue();
  await page.locator('[data-testid="share-close"]').click();
  return link;
}

export async function screenshot(page, name) {
  await mkdir(SHOTS, { recursive: true });
  const path = join(SHOTS, name);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Opens `url` in a fresh profile (console ready); resolves to { page, context, errors }. */
export async function openFresh(url) {
  const errors = [];
  const context = await launch(newProfile(), errors);
  const page = context.pages()[0] ?? await context.newPage();
  await page.goto(url);
  await consoleReady(page);
  return { page, context, errors };
}

/** Everything in every IndexedDB database of the page, and in localStorage, as text. */
export function dumpStorage(page) {
  return page.evaluate(async () => {
    const text = (v) => {
      if (v instanceof ArrayBuffer) v = new Uint8Array(v);
      if (ArrayBuffer.isView(v)) return new TextDecoder('latin1').decode(v);
      if (typeof v === 'string') return v;
      return JSON.stringify(v, (_, x) => (ArrayBuffer.isView(x) || x instanceof ArrayBuffer ? text(x) : x));
    };
    const out = [JSON.stringify({ ...localStorage })];
    for (const { name } of await indexedDB.databases()) {
      const db = await new Promise((ok, err) => {
        const r = indexedDB.open(name);
        r.onsuccess = () => ok(r.result);
        r.onerror = () => err(r.error);
      });
      for (const store of db.objectStoreNames) {
        const all = await new Promise((ok, err) => {
          const r = db.transaction([store]).objectStore(store).getAll();
          r.onsuccess = () => ok(r.result);
          r.onerror = () => err(r.error);
        });
        out.push(`${name}/${store}: ${all.map(text).join('\n')}`);
      }
      db.close();
    }
    return out.join('\n');
  });
}
