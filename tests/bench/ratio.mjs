// The wasm/native throughput ratio of the simulated cluster (make bench-web; issue 20): the
// `cluster_throughput` example's committed puts per second natively and compiled to wasm
// (node), both from the release profile the page ships with, 3 runs each, alternating;
// medians and their ratio. Needs `cargo build --release --no-default-features --example
// cluster_throughput`, natively and with `--target wasm32-unknown-unknown`. Prints; asserts
// nothing.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import { ROOT } from '../e2e/harness.mjs';

const BATCHES = 100;
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor((s.length - 1) / 2)]; };
const native = join(ROOT, 'target/release/examples/cluster_throughput');
const wasm = join(ROOT, 'target/wasm32-unknown-unknown/release/examples/cluster_throughput.wasm');

const { instance } = await WebAssembly.instantiate(readFileSync(wasm), {});
const nat = [];
const web = [];
for (let i = 0; i < 3; i++) {
  const out = execFileSync(native, [String(BATCHES)], { encoding: 'utf8' });
  nat.push(Number(out.match(/= (\d+) puts\/s/)?.[1]));
  const t0 = performance.now();
  const done = instance.exports.run_batches(BATCHES);
  web.push(done / ((performance.now() - t0) / 1000));
}
const [n, w] = [median(nat), median(web)];
console.log(`committed puts/s (release profile, ${BATCHES} batches of 1000): native median ${n.toFixed(0)} (${nat.map((x) => x.toFixed(0)).join(', ')}), wasm median ${w.toFixed(0)} (${web.map((x) => x.toFixed(0)).join(', ')}); wasm/native ${(100 * w / n).toFixed(0)} % [load ${loadavg().map((x) => x.toFixed(2)).join(' ')}]`);
