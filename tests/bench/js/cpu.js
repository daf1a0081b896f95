// JS CPU benchmark: classic compute kernels written for this project. Runs unchanged in the
// kernel (console.log), in v8-host (print) and in Node.js. Prints "bench NAME MS" per kernel
// and "bench total MS".
'use strict';
const out = typeof print === 'function' ? print : (s) => console.log(s);
const now = () => Date.now();
let sink = 0;

const kernels = {
  object_allocation() {
    let list = null;
    for (let i = 0; i < 300000; i++) list = { value: i, next: i % 1000 === 0 ? null : list };
    sink += list.value;
  },
  property_access() {
    const points = [];
    for (let i = 0; i < 1000; i++) points.push({ x: i, y: i * 2, z: i * 3 });
    let s = 0;
    for (let r = 0; r < 300; r++) for (const p of points) s += p.x * p.y - p.z;
    sink += s;
  },
  closures() {
    const adders = [];
    for (let i = 0; i < 1000; i++) adders.push((x) => x + i);
    let s = 0;
    for (let r = 0; r < 300; r++) for (const f of adders) s = f(s) % 1000003;
    sink += s;
  },
  string_building() {
    let total = 0;
    for (let r = 0; r < 30; r++) {
      let s = '';
      for (let i = 0; i < 3000; i++) s += String.fromCharCode(97 + (i % 26)) + i;
      total += s.length;
    }
    sink += total;
  },
  typed_array_math() {
    const n = 100000, a = new Float64Array(n), b = new Float64Array(n);
    for (let i = 0; i < n; i++) { a[i] = Math.sin(i); b[i] = Math.cos(i); }
    let dot = 0;
    for (let r = 0; r < 10; r++) for (let i = 0; i < n; i++) dot += a[i] * b[i];
    sink += dot;
  },
  regexp() {
    const text = 'user42@example.com, bob@test.org; 2026-12-04 and 1999-01-31 '.repeat(200);
    let count = 0;
    for (let r = 0; r < 30; r++) {
      count += (text.match(/[a-z0-9]+@[a-z]+\.[a-z]+/g) || []).length;
      count += [...text.matchAll(/(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})/g)].length;
    }
    sink += count;
  },
};

const rounds = 3;
let total = 0;
for (const [name, fn] of Object.entries(kernels)) {
  fn();   // warm-up: the optimizing compiler gets a chance
  const t0 = now();
  for (let i = 0; i < rounds; i++) fn();
  const ms = now() - t0;
  total += ms;
  out(`bench ${name} ${ms}`);
}
out(`bench total ${total}`);
if (sink === 42) out('');   // keeps the results alive
