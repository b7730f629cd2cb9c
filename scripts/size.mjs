// First-visit bytes (issue 20): every file the page fetches before the console answers, read
// from dist/ after `trunk build --release`, with its raw size and its gzip size (zlib level 9).
//
//   node scripts/size.mjs           the table
//   node scripts/size.mjs --check   the table, then fails (exit 1) if the gzip total is over the
//                                   budget in size-budget.json (make size-check, part of make test)
//
// The files are found the way the browser finds them, not by hashed name: dist/index.html, what
// its tags load as the page opens (script src, stylesheets, modulepreload and preload links,
// images; never prefetch), the static imports of every JS module reached (`import … from`,
// `export … from`, the wasm-bindgen glue's snippets) and the wasm a module passes to
// wasm-bindgen's init (`module_or_path`), and CSS @import and url(). A dynamic import() or a
// fetch() at run time is not a first-visit file: what is loaded on first use stays out.
// tests/e2e/first_visit.test.mjs checks in Chromium that this list is what the page fetches.
//
// The full module (web_full-<hash>.js and web_full-<hash>_bg.wasm, see scripts/external-loader.mjs)
// is loaded on first use of a part the lite module leaves out, never on a first visit: it is
// printed on its own, after the table, and a first visit that reaches it is an error.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
export const BUDGET_FILE = join(ROOT, 'size-budget.json');

// <link rel=…> values that make the browser fetch while the page opens.
const EAGER_RELS = new Set(['stylesheet', 'modulepreload', 'preload', 'icon', 'shortcut', 'manifest', 'apple-touch-icon']);

// The full module's files, as scripts/external-loader.mjs names them.
export const FULL_MODULE = /^web_full-[0-9a-f]{16}(?:\.js|_bg\.wasm)$/;

const attrs = (tag) => {
  const out = {};
  for (const m of tag.matchAll(/([\w:-]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g)) {
    out[m[1].toLowerCase()] = m[2] ?? m[3] ?? m[4] ?? '';
  }
  return out;
};

/** The dist-relative path `ref` names from the file at dist-relative `from`, or null if external. */
function local(ref, from) {
  ref = ref.trim();
  if (!ref || /^(data|blob|javascript|mailto):/i.test(ref) || ref.startsWith('#')) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith('//')) return null; // another origin
  const path = decodeURIComponent(ref.replace(/[?#].*$/, ''));
  const base = path.startsWith('/') ? '/' : posix.dirname(`/${from}`);
  return posix.normalize(posix.join(base, path)).replace(/^\/+/, '');
}

function htmlRefs(text) {
  const refs = [];
  const body = text.replace(/<!--[\s\S]*?-->/g, '');
  for (const m of body.matchAll(/<(link|script|img|source|iframe|embed|object|video|audio|input)\b([^>]*)>/gi)) {
    const tag = m[1].toLowerCase();
    const a = attrs(m[2]);
    if (tag === 'link') {
      const rels = (a.rel ?? '').toLowerCase().split(/\s+/);
      if (rels.some((r) => EAGER_RELS.has(r)) && a.href) refs.push(a.href);
    } else if (tag === 'object') {
      if (a.data) refs.push(a.data);
    } else if (a.src) {
      refs.push(a.src);
    }
  }
  return refs;
}

function jsRefs(text) {
  const refs = [];
  // Static imports and re-exports (minified or not); `import(` is dynamic and is left out.
  for (const m of text.matchAll(/(?:^|[;\s})])(?:import|export)\s*(?:[\w$*{}\s,]*?\bfrom\s*)?(["'])([^"'\n]+)\1/g)) refs.push(m[2]);
  // wasm-bindgen's init({ module_or_path: '…' }): the page's wasm, fetched before anything runs.
  for (const m of text.matchAll(/module_or_path\s*:\s*(["'`])([^"'`\n]+)\1/g)) refs.push(m[2]);
  return refs;
}

function cssRefs(text) {
  const refs = [];
  for (const m of text.matchAll(/@import\s+(?:url\(\s*)?(["']?)([^"')\s;]+)\1/g)) refs.push(m[2]);
  for (const m of text.matchAll(/url\(\s*(["']?)([^"')]+)\1\s*\)/g)) refs.push(m[2]);
  return refs;
}

/**
 * The first-visit files of `dist`, in the order they are found: [{ name, raw, gzip }].
 * Throws if dist/index.html is missing; names a reference to a file dist/ lacks in `missing`.
 */
export function firstVisit(dist = DIST) {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) throw new Error(`${index} not found: run \`trunk build --release\` (make build) first`);
  const seen = new Set(['index.html']);
  const queue = ['index.html'];
  const rows = [];
  const missing = [];
  while (queue.length) {
    const name = queue.shift();
    const body = readFileSync(join(dist, name));
    rows.push({ name, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
    const text = /\.(html?|m?js|css)$/i.test(name) ? body.toString('utf8') : '';
    const refs = /\.html?$/i.test(name) ? htmlRefs(text) : /\.m?js$/i.test(name) ? jsRefs(text) : /\.css$/i.test(name) ? cssRefs(text) : [];
    for (const ref of refs) {
      const path = local(ref, name);
      if (path === null || seen.has(path)) continue;
      seen.add(path);
      if (FULL_MODULE.test(path)) {
        throw new Error(`${name} makes the first visit fetch the full module's ${path}: it must be loaded only on first use`);
      }
      const file = join(dist, path);
      if (!file.startsWith(dist) || !existsSync(file) || !statSync(file).isFile()) { missing.push(`${ref} (from ${name})`); continue; }
      queue.push(path);
    }
  }
  rows.missing = missing;
  return rows;
}

/** The full module's files in `dist` ([{ name, raw, gzip }], JS first); throws unless there is one of each. */
export function fullModule(dist = DIST) {
  const names = readdirSync(dist).filter((n) => FULL_MODULE.test(n)).sort((a, b) => Number(a.endsWith('.wasm')) - Number(b.endsWith('.wasm')));
  if (names.length !== 2 || !names[0].endsWith('.js') || !names[1].endsWith('_bg.wasm')) {
    throw new Error(`dist/ should hold one web_full-<hash>.js and one web_full-<hash>_bg.wasm, not [${names.join(', ')}]: run \`trunk build --release\` (make build)`);
  }
  return names.map((name) => {
    const body = readFileSync(join(dist, name));
    return { name, raw: body.length, gzip: gzipSync(body, { level: 9 }).length };
  });
}

export const total = (rows) => rows.reduce((a, r) => ({ raw: a.raw + r.raw, gzip: a.gzip + r.gzip }), { raw: 0, gzip: 0 });

const num = (n) => n.toLocaleString('en-US');

/** The table as lines of text. */
export function table(rows) {
  const t = total(rows);
  const width = Math.max(40, ...rows.map((r) => r.name.length));
  const line = (name, raw, gzip) => `  ${name.padEnd(width)} ${raw.padStart(11)} ${gzip.padStart(11)}`;
  return [
    line('file', 'raw', 'gzip -9'),
    ...rows.map((r) => line(r.name, num(r.raw), num(r.gzip))),
    line('total', num(t.raw), num(t.gzip)),
  ];
}

/** { gzip, comment } from size-budget.json. */
export function readBudget(file = BUDGET_FILE) {
  const json = JSON.parse(readFileSync(file, 'utf8'));
  const gzip = json.first_visit_gzip;
  if (!Number.isInteger(gzip) || gzip <= 0) throw new Error(`${file}: "first_visit_gzip" must be a positive integer of bytes`);
  return { gzip, comment: json.comment };
}

/** Compares the rows' gzip total with the budget: { ok, text }. */
export function check(rows, budget) {
  const { gzip } = total(rows);
  const pct = ((100 * gzip) / budget.gzip).toFixed(1);
  if (gzip > budget.gzip) {
    return {
      ok: false,
      text: `size budget exceeded: the first visit is ${num(gzip)} bytes gzip, ${num(gzip - budget.gzip)} bytes over `
        + `the budget of ${num(budget.gzip)} (size-budget.json). Make it smaller, or raise the budget deliberately `
        + 'and say why in the commit message.',
    };
  }
  return { ok: true, text: `size budget: first visit ${num(gzip)} bytes gzip of ${num(budget.gzip)} (${pct}%, ${num(budget.gzip - gzip)} bytes to spare)` };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const t0 = performance.now();
  try {
    const rows = firstVisit();
    console.log('first visit: what dist/index.html makes the browser fetch before the console answers (bytes)');
    for (const l of table(rows)) console.log(l);
    for (const m of rows.missing) console.error(`warning: dist/ has no file for the reference ${m}`);
    console.log('\nloaded on first use (full module): what the boot script loads instead of the lite module once the page asks for it (bytes; not in the first visit)');
    for (const l of table(fullModule())) console.log(l);
    if (process.argv.includes('--check')) {
      const result = check(rows, readBudget());
      console.log(`(size check took ${((performance.now() - t0) / 1000).toFixed(2)} s)`);
      (result.ok ? console.log : console.error)(result.text);
      if (!result.ok) process.exitCode = 1;
    }
  } catch (e) {
    console.error(`size: ${e.message}`);
    process.exitCode = 2;
  }
}
