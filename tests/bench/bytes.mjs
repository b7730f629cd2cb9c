// Where the bytes go (make bench-web; issue 20):
//  - first-visit bytes: every file the page fetches before the console answers, raw and gzip,
//    against size-budget.json (scripts/size.mjs);
//  - the full module (loaded on first use, not on a first visit): its JS and wasm, raw and gzip,
//    and how its wasm compares with the lite one;
//  - the first-visit (lite) wasm by crate, by module of the playground crate, and its largest
//    functions, from twiggy (crates.io; `scripts/setup.sh bench` installs it when missing).
//
// The shipped wasm has no names (wasm-opt drops the name section), so the attribution is made on
// a copy built from the same input with the same wasm-opt run plus -g, which keeps the names:
// Trunk's wasm-bindgen output of the lite module (bin web), target/wasm-bindgen/release/web_bg.wasm
// (names kept; the full module's, web_full_bg.wasm, sits next to it), through
// `wasm-opt -O<level from index.html's web link> -g`. The report prints how that copy's sections
// compare with the shipped file's, so the numbers can be trusted to the byte or the gap is shown.
// Sizes are raw (uncompressed) bytes of the wasm; a crate's share of the gzip total is close to
// its share of the raw bytes only on average (the report prints how code and data compress).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, DIST, firstVisit, fullModule, table, check, readBudget } from '../../scripts/size.mjs';

const TOP = Number(process.env.TOP ?? 25);
const num = (n) => n.toLocaleString('en-US');
const pct = (n, of) => `${((100 * n) / of).toFixed(1)}%`;

// ---- the wasm's sections (id, name, size), enough to compare two builds -------------------
function leb(buf, pos) {
  let result = 0; let shift = 0; let byte;
  do { byte = buf[pos++]; result += (byte & 0x7f) * 2 ** shift; shift += 7; } while (byte & 0x80);
  return [result, pos];
}
const SECTION = ['custom', 'type', 'import', 'function', 'table', 'memory', 'global', 'export', 'start', 'element', 'code', 'data', 'datacount', 'tag'];
function sections(buf) {
  const out = [];
  let pos = 8;
  while (pos < buf.length) {
    const start = pos;
    const id = buf[pos++];
    let size;
    [size, pos] = leb(buf, pos);
    let name = SECTION[id] ?? `section ${id}`;
    if (id === 0) {
      const [len, p] = leb(buf, pos);
      name = `custom "${buf.subarray(p, p + len).toString('utf8')}"`;
    }
    out.push({ name, size: pos + size - start, body: buf.subarray(pos, pos + size) });
    pos += size;
  }
  return out;
}

// ---- attribution of an item's demangled name to a crate ----------------------------------
// twiggy's names are demangled, with the legacy hash (::h0123…) or, for the prebuilt std, the v0
// crate disambiguator (core[0123…]::); both are dropped.
const clean = (s) => s.replace(/::h[0-9a-f]{16}$/, '').replace(/\[[0-9a-f]{16}\]/g, '');

/** `<A as B>::rest` → { self: 'A', trait: 'B' } (trait null for `<A>::rest`), else null. */
function qualified(s) {
  if (!s.startsWith('<')) return null;
  let depth = 0;
  for (let i = 1; i < s.length; i++) {
    const c = s[i];
    if (c === '<') depth++;
    else if (c === '>' && s[i - 1] !== '-') {
      if (depth === 0) return { self: s.slice(1, i), trait: null };
      depth--;
    } else if (depth === 0 && s.startsWith(' as ', i)) {
      let d = 0;
      for (let j = i + 4; j < s.length; j++) {
        if (s[j] === '<') d++;
        else if (s[j] === '>' && s[j - 1] !== '-') { if (d === 0) return { self: s.slice(1, i), trait: s.slice(i + 4, j) }; d--; }
      }
      return { self: s.slice(1, i), trait: s.slice(i + 4) };
    }
  }
  return null;
}

/**
 * The Rust path an item is counted under: its own path; for `<T as Trait>::f` and
 * `core::ptr::drop_in_place<T>` the path of T when T is a named type, else of the trait
 * (`<f64 as core::fmt::Display>::fmt` is core's); null when there is none (primitives' own
 * methods, such as `<str>::to_lowercase`, count as core's).
 */
function ownerPath(name) {
  let s = clean(name).trim();
  for (;;) {
    const drop = s.match(/^core::ptr::drop_in_place<(.*)>$/);
    if (drop) { s = drop[1]; continue; }
    const next = s.replace(/^(&|\*const |\*mut |mut |dyn |impl |\[|\()+/, '');
    if (next === s) break;
    s = next;
  }
  // A tuple or a list of type arguments: the first part that has an owner.
  const parts = [];
  for (let i = 0, depth = 0, from = 0; i <= s.length; i++) {
    const c = s[i];
    if (c === '<' || c === '(' || c === '[') depth++;
    else if ((c === '>' && s[i - 1] !== '-') || c === ')' || c === ']') depth--;
    else if ((c === ',' && depth === 0) || i === s.length) { parts.push(s.slice(from, i).trim()); from = i + 1; }
  }
  if (parts.length > 1) return parts.map(ownerPath).find((p) => p) ?? null;
  const q = qualified(s);
  if (q) return ownerPath(q.self) ?? (q.trait ? ownerPath(q.trait) : null) ?? (/^(str|char|bool|[iuf](8|16|32|64|128|size))\b|^\[/.test(q.self) ? 'core::' : null);
  return /^[A-Za-z_][A-Za-z0-9_]*::/.test(s) ? s : null;
}
const crateOf = (name) => ownerPath(name)?.match(/^([A-Za-z_][A-Za-z0-9_]*)::/)?.[1] ?? null;
/** The first `depth` modules of the item's path (`etcd_playground::node::cmd` at 2). */
function moduleOf(name, depth) {
  const parts = [];
  let rest = ownerPath(name);
  for (let i = 0; i <= depth; i++) {
    const m = rest.match(/^([A-Za-z_][A-Za-z0-9_]*)::/);
    if (!m || (i > 0 && !/^[a-z_][a-z0-9_]*$/.test(m[1]))) break;
    parts.push(m[1]);
    rest = rest.slice(m[0].length);
  }
  return parts.join('::') + (parts.length <= depth ? ' (itself)' : '');
}
/** Items twiggy lists that are not Rust functions: data, wasm-bindgen's glue, sections. */
function bucketOf(name) {
  if (/^data\[\d+\]$|^data segment /.test(name)) return '(data: constants, strings, texts; see below)';
  if (/^code\[\d+\]$/.test(name)) return '(functions without a name)';
  if (/^(__wbg_|__wbindgen|__externref|wasm_bindgen::|__wbg_adapter)/.test(name) || / externref shim$|^wasm-bindgen/.test(name)) return 'wasm_bindgen';
  if (/^(__rust_|__rdl_|__rg_|rust_begin_unwind|rust_panic|__rustc|main$)/.test(name)) return 'std';
  if (/^(fmin|fmax|f?(floor|ceil|trunc|round|sqrt|pow|exp|log)f?$|mem(cpy|move|set|cmp)|__(ashl|ashr|lshr|mul|div|mod|udiv|umod|float|fix|trunc|extend|add|sub|neg|cmp|eq|ne|lt|le|gt|ge|unord|pow)\w*)$/.test(name)) return 'compiler_builtins';
  if (/^custom section |section headers$| subsection$|^wasm magic bytes$|^type\[|^import |^export |^table\[|^elem\[|^memory\[|^global\[|^start|^func\[/.test(name)) return '(wasm headers: types, imports, exports, tables, section headers)';
  return null;
}

/**
 * The files the crate compiles in (include_str!/include_bytes!: help texts, lessons, certificates)
 * found in the wasm's data section, by folder: { folder: { bytes, items } }.
 */
function includedFiles(data) {
  const files = execFileSync('git', ['ls-files', 'src', 'lessons'], { cwd: ROOT }).toString().split('\n')
    .filter((f) => f && !f.endsWith('.rs') && existsSync(join(ROOT, f)));
  const found = new Map();
  for (const f of files) {
    const body = readFileSync(join(ROOT, f));
    if (body.length >= 64 && data.indexOf(body) >= 0) add(found, `${f.slice(0, f.lastIndexOf('/'))}/`, body.length);
  }
  return found;
}

function twiggyTop(wasm) {
  const out = execFileSync('twiggy', ['top', '-n', '10000000', '-f', 'json', wasm], { maxBuffer: 1 << 30 });
  return JSON.parse(out.toString('utf8'));
}

const short = (s, n = 110) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
function rows(map, total, limit, title) {
  const list = [...map.entries()].map(([k, v]) => [short(k), v]).sort((a, b) => b[1].bytes - a[1].bytes);
  const width = Math.max(30, ...list.slice(0, limit).map(([k]) => k.length));
  console.log(title);
  console.log(`  ${'name'.padEnd(width)} ${'bytes'.padStart(11)} ${'%'.padStart(7)} ${'items'.padStart(7)}`);
  for (const [k, v] of list.slice(0, limit)) {
    console.log(`  ${k.padEnd(width)} ${num(v.bytes).padStart(11)} ${pct(v.bytes, total).padStart(7)} ${num(v.items).padStart(7)}`);
  }
  if (list.length > limit) {
    const rest = list.slice(limit).reduce((a, [, v]) => ({ bytes: a.bytes + v.bytes, items: a.items + v.items }), { bytes: 0, items: 0 });
    console.log(`  ${`(${list.length - limit} more)`.padEnd(width)} ${num(rest.bytes).padStart(11)} ${pct(rest.bytes, total).padStart(7)} ${num(rest.items).padStart(7)}`);
  }
}

const add = (map, key, bytes) => {
  const v = map.get(key) ?? { bytes: 0, items: 0 };
  v.bytes += bytes; v.items += 1;
  map.set(key, v);
};

// ---- 1. first-visit bytes and the budget ---------------------------------------------------
const visit = firstVisit();
console.log('first visit: what dist/index.html makes the browser fetch before the console answers (bytes)');
for (const l of table(visit)) console.log(l);
console.log(check(visit, readBudget()).text);
const full = fullModule();
console.log('\nloaded on first use (full module): what the boot script loads instead of the lite module once the page asks for it (bytes)');
for (const l of table(full)) console.log(l);

// ---- 2. the wasm by crate, module and function ---------------------------------------------
const shippedRow = visit.filter((r) => r.name.endsWith('.wasm')).sort((a, b) => b.raw - a.raw)[0];
if (!shippedRow) throw new Error('no wasm among the first-visit files');
const shipped = readFileSync(join(DIST, shippedRow.name));
const target = process.env.CARGO_TARGET_DIR ?? join(ROOT, 'target');
const bindgen = join(target, 'wasm-bindgen', 'release', 'web_bg.wasm');
if (!existsSync(bindgen) || statSync(bindgen).mtimeMs > statSync(join(DIST, shippedRow.name)).mtimeMs + 1) {
  throw new Error(`${bindgen} is missing or newer than dist/: run \`trunk build --release\` (make build) first`);
}
// The wasm-opt level and parameters Trunk used, from index.html's rust link of bin web (the lite module).
const link = [...readFileSync(join(ROOT, 'index.html'), 'utf8').matchAll(/<link\b[^>]*data-trunk[^>]*rel="rust"[^>]*>/g)]
  .map((x) => x[0]).find((l) => /\sdata-bin="web"/.test(l)) ?? '';
if (!link) throw new Error('index.html has no <link data-trunk rel="rust" data-bin="web">');
const level = link.match(/data-wasm-opt="([^"]*)"/)?.[1] ?? '0';
const params = (link.match(/data-wasm-opt-params="([^"]*)"/)?.[1] ?? '').split(/\s+/).filter(Boolean);
const tmp = mkdtempSync(join(tmpdir(), 'etcdplay-bytes-'));
try {
  const named = join(tmp, 'named.wasm');
  const t0 = performance.now();
  if (level === '0') {
    execFileSync('cp', [bindgen, named]);
  } else {
    execFileSync(join(ROOT, 'node_modules', '.bin', 'wasm-opt'), [`--output=${named}`, `-O${level}`, bindgen, ...params, '-g'], { stdio: 'inherit' });
  }
  const optMs = performance.now() - t0;
  const namedBuf = readFileSync(named);
  const a = sections(shipped);
  const b = sections(namedBuf);
  const namesBytes = b.filter((s) => s.name === 'custom "name"').reduce((x, s) => x + s.size, 0);
  const bySection = (list, n) => list.filter((s) => s.name === n).reduce((x, s) => x + s.size, 0);
  const body = (list, n) => Buffer.concat(list.filter((s) => s.name === n).map((s) => s.body));
  const code = [bySection(a, 'code'), bySection(b, 'code')];
  const data = [bySection(a, 'data'), bySection(b, 'data')];
  const gz = (n) => gzipSync(body(a, n), { level: 9 }).length;
  const same = (n) => (body(a, n).equals(body(b, n)) ? 'byte for byte the shipped one\'s'
    : `${num(bySection(b, n))} bytes against the shipped ${num(bySection(a, n))}`);
  console.log(`\nthe wasm: ${shippedRow.name}, ${num(shipped.length)} bytes raw, ${num(shippedRow.gzip)} gzip; `
    + `code ${num(code[0])} raw / ${num(gz('code'))} gzip, data ${num(data[0])} raw / ${num(gz('data'))} gzip; `
    + `sections: ${a.map((s) => `${s.name} ${num(s.size)}`).join(', ')}`);
  const fullWasm = readFileSync(join(DIST, full[1].name));
  const f = sections(fullWasm);
  console.log(`the full module's wasm: ${full[1].name}, ${num(fullWasm.length)} bytes raw, ${num(full[1].gzip)} gzip `
    + `(${fullWasm.length >= shipped.length ? '+' : ''}${num(fullWasm.length - shipped.length)} raw, `
    + `${full[1].gzip >= shippedRow.gzip ? '+' : ''}${num(full[1].gzip - shippedRow.gzip)} gzip against the lite one); `
    + `code ${num(bySection(f, 'code'))} raw, data ${num(bySection(f, 'data'))} raw. Below: the lite (first-visit) wasm only`);
  console.log(`named copy (wasm-opt -O${level}${params.length ? ` ${params.join(' ')}` : ''} -g on Trunk's wasm-bindgen output, ${(optMs / 1000).toFixed(1)} s): `
    + `${num(namedBuf.length)} bytes, of which the name section ${num(namesBytes)}; its code section is ${same('code')}, its data section ${same('data')}`);

  const items = twiggyTop(named);
  const crates = new Map();
  const modules = new Map();
  const submodules = new Map();
  const fns = new Map();
  let counted = 0;
  for (const it of items) {
    const name = it.name;
    const size = it.shallow_size;
    // The name section itself (its subsections, its header) is not shipped.
    if (/^custom section 'name'|^"[a-z ]+" subsection$/.test(name)) continue;
    counted += size;
    const crate = bucketOf(name) ?? crateOf(name) ?? '(other)';
    add(crates, crate, size);
    if (crate === 'etcd_playground') {
      add(modules, moduleOf(name, 1), size);
      add(submodules, moduleOf(name, 2), size);
    }
    if (!/^\(/.test(crate)) add(fns, clean(name), size);
  }
  const whole = shipped.length;
  console.log(`twiggy: ${num(items.length)} items, ${num(counted)} bytes counted without the name section `
    + `(${counted === whole ? 'equal to' : `${counted > whole ? '+' : ''}${num(counted - whole)} from`} the shipped ${num(whole)}); % below are of the shipped wasm`);
  console.log('');
  rows(crates, whole, TOP, `wasm by crate (top ${TOP}; by the crate of the demangled name, <T as Trait>:: and drop_in_place<T> counted as T's)`);
  console.log('');
  rows(modules, whole, TOP, 'etcd_playground by module');
  console.log('');
  rows(submodules, whole, TOP, `etcd_playground by module, one level down (top ${TOP})`);
  console.log('');
  rows(fns, whole, TOP, `largest functions (top ${TOP}; items are instances of the same name, such as monomorphisations)`);
  console.log('');
  const files = includedFiles(body(a, 'data'));
  const inFiles = [...files.values()].reduce((x, v) => x + v.bytes, 0);
  add(files, '(other constants and string literals)', data[0] - inFiles);
  files.get('(other constants and string literals)').items = 0;
  rows(files, whole, TOP, `the data section (${num(data[0])} bytes): files compiled in (include_str!/include_bytes!), by folder`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
