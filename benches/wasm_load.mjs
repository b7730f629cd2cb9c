// Loading the large /registry sample in wasm (node), for comparison with the native figure of
// `cargo run --profile bench --no-default-features --example load_large`:
//   cargo build --profile bench --no-default-features --target wasm32-unknown-unknown --example load_large
//   node benches/wasm_load.mjs target/wasm32-unknown-unknown/release/examples/load_large.wasm
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
const [file] = process.argv.slice(2);
const { instance } = await WebAssembly.instantiate(readFileSync(file), {});
const { load_large, get_prefix_limit_100, memory } = instance.exports;
let t0 = performance.now();
const keys = load_large();
const secs = (performance.now() - t0) / 1000;
console.log(`load_large: ${keys} keys in ${secs.toFixed(2)} s; wasm memory ${(memory.buffer.byteLength / 1048576).toFixed(0)} MiB (load ${loadavg()[0].toFixed(2)})`);
for (let i = 0; i < 5; i++) {
  t0 = performance.now();
  const n = get_prefix_limit_100(10);
  console.log(`get /registry --prefix --keys-only --limit 100: ${((performance.now() - t0) / 10).toFixed(2)} ms each (${n / 10} keys)`);
}
