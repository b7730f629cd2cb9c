// Trunk post-build hook (runs in Trunk's staging directory, TRUNK_STAGING_DIR): writes the page's
// boot script and takes the inline module script out of index.html, so the page's
// Content-Security-Policy can forbid inline script entirely (`script-src 'self'` allows the
// same-origin dynamic import() below).
//
// The page ships two builds of the crate (see index.html):
//  - the lite module (bin `web`, features `ui,lite`): the first visit. Trunk hashes its files,
//    preloads them from index.html and writes an inline script loading them; their names are taken
//    from that script.
//  - the full module (bin `web_full`, features `ui`): Trunk builds it as a "worker", so it is not
//    put in the page and its files keep plain names (web_full.js, web_full_bg.wasm). This hook
//    renames them web_full-<hash>.js and web_full-<hash>_bg.wasm, the hash (16 hex of sha256) over
//    both files' bytes, so no cache ever pairs a lite and a full module of different builds.
//
// The boot script (boot-<16 hex of sha256 of its text>.js) loads the lite module, or the full one
// when localStorage['etcdplay-module'] is 'full' (the lite module sets it and reloads when the
// user needs a part only the full one has; see src/ui/module.rs). It then does what Trunk's own
// script does (window.wasmBindings, the TrunkApplicationStarted event with {wasm}), and sets
// window.__etcdplayModule to 'lite' or 'full'.
//
// Fails the build (exit 1) when a file or pattern it expects is missing.
import { existsSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';

const fail = (msg) => { console.error(`external-loader: ${msg}`); process.exit(1); };
const sha16 = (...parts) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex').slice(0, 16);
};

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) fail('TRUNK_STAGING_DIR is not set');
const indexPath = join(dir, 'index.html');
const html = readFileSync(indexPath, 'utf8');

// ---- the lite module: its files, from the inline script Trunk wrote -------------------------
// Minified (release) or not: `import init, * as bindings from '/web-….js'` and
// `init({ module_or_path: '/web-…_bg.wasm' })`.
const inline = /<script type=("?)module\1>([\s\S]*?)<\/script>/;
const m = html.match(inline);
if (!m) fail('no inline module script in index.html (Trunk\'s loader of the lite module)');
const quoted = (re, what) => {
  const found = m[2].match(re);
  if (!found) fail(`index.html's inline module script has no ${what}:\n${m[2]}`);
  return found[2];
};
const liteJs = quoted(/\bfrom\s*(["'`])([^"'`]+\.js)\1/, 'import of the lite module\'s JS');
const liteWasm = quoted(/module_or_path\s*:\s*(["'`])([^"'`]+\.wasm)\1/, 'init({ module_or_path }) of the lite module\'s wasm');
if (!/dispatchEvent\(\s*new CustomEvent\(\s*(["'`])TrunkApplicationStarted\1/.test(m[2])) {
  fail(`index.html's inline module script does not fire TrunkApplicationStarted:\n${m[2]}`);
}
for (const url of [liteJs, liteWasm]) {
  if (!existsSync(join(dir, url.replace(/^.*\//, '')))) fail(`the lite module's ${url} is not in ${dir}`);
}
// Where the page's files are served from (Trunk's public_url): the lite JS's folder.
const base = liteJs.slice(0, liteJs.lastIndexOf('/') + 1);

// ---- the full module: content-hashed names ---------------------------------------------------
const fullJsPath = join(dir, 'web_full.js');
const fullWasmPath = join(dir, 'web_full_bg.wasm');
for (const f of [fullJsPath, fullWasmPath]) {
  if (!existsSync(f)) fail(`${f} is missing: index.html must build bin web_full with data-type="worker"`);
}
let fullJsText = readFileSync(fullJsPath, 'utf8');
const fullWasm = readFileSync(fullWasmPath);
// wasm-bindgen's --target web: an ES module whose default export is init({ module_or_path }).
if (!/\bexport\s*\{[^}]*\bas default\b[^}]*\}/.test(fullJsText) || !/\bmodule_or_path\b/.test(fullJsText)) {
  fail('web_full.js is not wasm-bindgen\'s --target web ES module (export default init({ module_or_path })): '
    + 'index.html\'s web_full link needs data-bindgen-target="web"');
}
const hash = sha16(readFileSync(fullJsPath), fullWasm);
const fullJsName = `web_full-${hash}.js`;
const fullWasmName = `web_full-${hash}_bg.wasm`;
// The glue's default wasm URL (used only if init is called without one) names the new file too.
fullJsText = fullJsText.replaceAll(/(["'`])web_full_bg\.wasm\1/g, `$1${fullWasmName}$1`);
writeFileSync(join(dir, fullJsName), fullJsText);
unlinkSync(fullJsPath);
renameSync(fullWasmPath, join(dir, fullWasmName));

// ---- the boot script -------------------------------------------------------------------------
// Kept small: it is part of the first visit (scripts/size.mjs counts it). The wasm URL is passed
// through a variable, so the full module's files are not mistaken for first-visit ones.
// Its first line asks the browser for the site's IndexedDB databases and drops the answer: on a
// first visit the browser sets up the site's storage then (about 40 ms of its own work, measured
// on a fresh profile here), while the wasm downloads, instead of when the page opens its database
// after its first render, where the console's ready waited for it.
const str = JSON.stringify;
const boot = `try{indexedDB.databases().catch(()=>{})}catch{}
let m='lite';try{localStorage.getItem('etcdplay-module')==='full'&&(m='full')}catch{}
window.__etcdplayModule=m;
const[js,wasmUrl]=m==='full'?[${str(base + fullJsName)},${str(base + fullWasmName)}]:[${str(liteJs)},${str(liteWasm)}];
const bindings=await import(js);
const wasm=await bindings.default({module_or_path:wasmUrl});
window.wasmBindings=bindings;
dispatchEvent(new CustomEvent('TrunkApplicationStarted',{detail:{wasm}}));
`;
const name = `boot-${sha16(boot)}.js`;
writeFileSync(join(dir, name), boot);
writeFileSync(indexPath, html.replace(inline, `<script type="module" src="${base}${name}"></script>`));
console.log(`external-loader: ${name} loads ${liteJs} (lite) or ${base}${fullJsName} (full)`);
