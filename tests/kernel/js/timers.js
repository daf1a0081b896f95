// The event loop: microtasks, immediates, timers in deadline order, intervals, cancellation,
// and timers that wait for real time. Ends with isolate.exit(failures).
'use strict';
const order = [];
const t0 = isolate.uptime();
let failures = 0;
const expect = (name, ok) => { if (ok) console.log(`ok ${name}`); else { failures++; console.log(`FAIL ${name}`); } };

setTimeout(() => order.push('timeout-30'), 30);
setTimeout(() => order.push('timeout-10'), 10);
const cancelled = setTimeout(() => order.push('cancelled'), 5);
clearTimeout(cancelled);
setImmediate(() => order.push('immediate'));
queueMicrotask(() => order.push('microtask'));
Promise.resolve().then(() => order.push('promise'));
let ticks = 0;
const iv = setInterval(() => {
  order.push(`interval-${++ticks}`);
  if (ticks === 3) clearInterval(iv);
}, 12);
setTimeout((a, b) => {
  const elapsed = isolate.uptime() - t0;
  // Deterministic whatever the machine's speed: microtasks, then immediates, then timers by
  // deadline (10 < 12 < 30); the interval's later ticks may fall either side of timeout-30.
  const at = (x) => order.indexOf(x);
  expect('order', order.slice(0, 5).join() === 'microtask,promise,immediate,timeout-10,interval-1' &&
    at('timeout-30') > at('interval-1') && at('interval-3') > at('interval-2') && order.length === 8 &&
    !order.includes('cancelled'));
  expect('arguments', a === 'x' && b === 2);
  expect('waited', elapsed >= 60);
  console.log(`timers: ${failures === 0 ? 'all passed' : failures + ' failed'} (${order.join(' ')}, ${elapsed.toFixed(1)} ms)`);
  // Nothing is left after this: the loop ends by itself, with the status the app chose.
  if (failures) isolate.exit(1);
}, 60, 'x', 2);
