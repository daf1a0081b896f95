// The garbage collector under pressure: allocates 2 GiB in total (JS objects, strings and
// ArrayBuffers) in a VM with 256 MiB of memory, keeping only a small window alive.
'use strict';
const MiB = 1 << 20;
let total = 0;
const window = [];
function keep(x) {
  window.push(x);
  if (window.length > 16) window.shift();
}
// ArrayBuffers: 1.5 GiB in 1 MiB buffers (the ArrayBuffer allocator, outside the JS heap).
for (let i = 0; i < 1536; i++) {
  const b = new Uint8Array(MiB);
  b[i % MiB] = i & 255;
  keep(b);
  total += MiB;
}
// The JS heap: 512 MiB of small objects and strings.
let objects = 0;
while (total < 2048 * MiB) {
  const batch = [];
  for (let i = 0; i < 1000; i++) batch.push({ id: i, name: 'item' + i, tags: [i, i + 1] });
  keep(batch);
  objects += 1000;
  total += 1000 * 128;   // a conservative size per object with its string and array
}
const sum = window.reduce((s, x) => s + (x.length || 0), 0);
console.log(`gc-stress: allocated ${Math.round(total / MiB)} MiB (${objects} objects), window ${window.length}, ${sum > 0 ? 'alive' : 'empty'}`);
