// Committed puts per second of the simulated cluster in wasm (node), for comparison with the
// native figure of `cargo run --profile bench --example cluster_throughput`:
//   cargo build --profile bench --no-default-features --target wasm32-unknown-unknown --example cluster_throughput
//   node benches/wasm_throughput.mjs target/wasm32-unknown-unknown/release/examples/cluster_throughput.wasm 100
import { readFileSync } from 'node:fs';
const [file, n = '100'] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
const t0 = performance.now();
const done = instance.exports.run_batches(Number(n));
const secs = (performance.now() - t0) / 1000;
console.log(`${done} committed puts in ${secs.toFixed(3)} s = ${Math.round(done / secs)} puts/s (wasm, node ${process.version})`);
