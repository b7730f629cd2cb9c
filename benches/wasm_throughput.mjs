// Committed puts per second of the simulated cluster in wasm (node), for comparison with the
// native figure of `cargo run --profile bench --example cluster_throughput`:
//   cargo build --profile bench --no-default-features --target wasm32-unknown-unknown --example cluster_throughput
//   node benches/wasm_throughput.mjs target/wasm32-unknown-unknown/release/examples/cluster_throughput.wasm 100
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
const [file, n = '100'] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
const c0 = process.cpuUsage();
const t0 = performance.now();
const done = instance.exports.run_batches(Number(n));
const secs = (performance.now() - t0) / 1000;
const c = process.cpuUsage(c0);
const cpu = (c.user + c.system) / 1e6;
// CPU seconds too: on a loaded machine wall time includes waiting for a core.
console.log(`${done} committed puts in ${secs.toFixed(3)} s = ${Math.round(done / secs)} puts/s wall, ${cpu.toFixed(3)} s CPU = ${Math.round(done / cpu)} puts/CPU-s (wasm, node ${process.version}, load ${loadavg()[0].toFixed(2)})`);
