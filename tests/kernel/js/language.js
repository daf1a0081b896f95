// JavaScript inside the kernel: the language and its built-ins. Prints "ok NAME" per check and
// ends with isolate.exit(number of failures).
'use strict';
let failures = 0;
const pending = [];
function check(name, fn) {
  try {
    const r = fn();
    if (r && typeof r.then === 'function') {
      pending.push(r.then((v) => report(name, v), (e) => report(name, false, e)));
    } else {
      report(name, r);
    }
  } catch (e) {
    report(name, false, e);
  }
}
function report(name, ok, err) {
  if (ok === true) console.log(`ok ${name}`);
  else { failures++; console.log(`FAIL ${name}${err ? ': ' + (err.stack || err) : ''}`); }
}

check('classes', () => {
  class A { #x = 1; static s = 'S'; get x() { return this.#x; } inc() { this.#x++; return this; } }
  class B extends A { inc() { super.inc(); return super.inc(); } }
  return new B().inc().x === 3 && B.s === 'S';
});
check('closures', () => {
  const counters = [0, 1, 2].map((i) => () => i * 10);
  return counters.map((f) => f()).join() === '0,10,20';
});
check('generators', () => {
  function* fib() { let [a, b] = [0, 1]; for (;;) { yield a; [a, b] = [b, a + b]; } }
  const out = [];
  for (const v of fib()) { if (out.length === 10) break; out.push(v); }
  return out.join() === '0,1,1,2,3,5,8,13,21,34';
});
check('async_await', async () => {
  const wait = (v) => new Promise((r) => r(v));
  const a = await wait(20), b = await wait(22);
  return a + b === 42;
});
check('promise_combinators', async () => {
  const all = await Promise.all([1, Promise.resolve(2), 3]);
  const settled = await Promise.allSettled([Promise.reject(new Error('x')), 1]);
  const any = await Promise.any([Promise.reject(1), Promise.resolve('first')]);
  const race = await Promise.race([new Promise(() => {}), Promise.resolve('r')]);
  return all.join() === '1,2,3' && settled[0].status === 'rejected' && any === 'first' && race === 'r';
});
check('proxy_reflect', () => {
  const log = [];
  const p = new Proxy({}, { get: (t, k) => (log.push(k), Reflect.get(t, k) ?? `<${String(k)}>`) });
  return p.hello === '<hello>' && log[0] === 'hello' && Reflect.ownKeys({ a: 1, [Symbol.iterator]: 2 }).length === 2;
});
check('typed_arrays', () => {
  const buf = new ArrayBuffer(16), dv = new DataView(buf), f = new Float64Array(buf);
  dv.setUint32(0, 0xdeadbeef, true);
  f[1] = Math.PI;
  const u8 = new Uint8Array(buf);
  return u8[0] === 0xef && u8[3] === 0xde && dv.getFloat64(8, true) === Math.PI && new Int16Array([70000])[0] === 4464;
});
check('regexp', () => {
  const m = /(?<year>\d{4})-(?<month>\d{2})/u.exec('on 2026-12-04');
  return m.groups.year === '2026' && m.groups.month === '12' && /(?<=\$)\d+/.exec('cost $42')[0] === '42' &&
    /^.$/u.test('😀') && !/^.$/.test('😀') && /\u{1F600}/u.test('😀') && 'a-b-c'.replaceAll('-', '+') === 'a+b+c';
});
check('date', () => {
  const now = Date.now(), host = Number(isolate.env.HOST_NOW) * 1000;
  const d = new Date(Date.UTC(2026, 11, 4, 13, 5, 0));
  return Math.abs(now - host) < 60000 && new Date().getTimezoneOffset() === 0 &&
    d.toISOString() === '2026-12-04T13:05:00.000Z' && d.getHours() === 13 && d.getDay() === 5;
});
check('json', () => {
  const o = JSON.parse('{"a":[1,2,{"b":null}],"c":"\\u00e9"}');
  return JSON.stringify(o) === '{"a":[1,2,{"b":null}],"c":"é"}';
});
check('math', () => Math.hypot(3, 4) === 5 && Math.trunc(-4.7) === -4 && Math.sign(-3) === -1 &&
  Math.abs(Math.sin(Math.PI / 6) - 0.5) < 1e-15 && Math.cbrt(27) === 3 && (0.1 + 0.2).toFixed(2) === '0.30');
check('bigint', () => 2n ** 100n === 1267650600228229401496703205376n && BigInt.asUintN(8, 257n) === 1n &&
  (12345678901234567890n * 98765432109876543210n).toString() === '1219326311370217952237463801111263526900');
check('symbol', () => {
  const s = Symbol('k'), o = { [s]: 1, [Symbol.toPrimitive]: () => 7 };
  return o[s] === 1 && +o === 7 && Symbol.for('x') === Symbol.for('x') && s.description === 'k';
});
check('weakref', () => {
  const target = {}, ref = new WeakRef(target);
  return ref.deref() === target;
});
check('finalization_callbacks', () => new Promise((resolve) => {
  // Objects registered then dropped: once a full collection has run (forced by growing the old
  // generation: arrays that live long enough to be promoted), V8 posts the cleanup as a
  // foreground task and the callbacks run.
  let called = 0;
  const survivors = [];
  const registry = new FinalizationRegistry(() => { called++; });
  (() => { for (let i = 0; i < 1000; i++) registry.register({ i }, i); })();
  const started = isolate.uptime();
  (function churn() {
    for (let i = 0; i < 20; i++) {
      survivors.push(new Array(10000).fill(i));
      if (survivors.length > 200) survivors.shift();
    }
    if (called > 0) resolve(true);
    else if (isolate.uptime() - started > 20000) resolve(false);
    else setTimeout(churn, 1);
  })();
}));
check('webassembly', () => {
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 127, 127, 1, 127, 3, 2, 1, 0, 7, 7, 1, 3, 97, 100,
    100, 0, 0, 10, 9, 1, 7, 0, 32, 0, 32, 1, 106, 11]);
  const add = new WebAssembly.Instance(new WebAssembly.Module(bytes)).exports.add;
  return add(40, 2) === 42 && add(0x7fffffff, 1) === -0x80000000;
});
check('webassembly_async', async () => {
  // Compiled on a worker thread, finished by a foreground task: the loop must wait for it.
  const bytes = new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 7, 1, 96, 2, 127, 127, 1, 127, 3, 2, 1, 0, 7, 7, 1, 3, 97, 100,
    100, 0, 0, 10, 9, 1, 7, 0, 32, 0, 32, 1, 106, 11]);
  const { instance } = await WebAssembly.instantiate(bytes);
  return instance.exports.add(2, 3) === 5;
});
check('stack_traces', () => {
  function inner() { return new Error('here'); }
  const e = inner();
  const o = {};
  Error.captureStackTrace(o);
  return /at inner \(\/app\/language\.js:\d+:\d+\)/.test(e.stack) && typeof o.stack === 'string';
});
check('console_format', () => {
  // js-tests.sh checks the exact line this prints.
  const cyclic = { name: 'loop' };
  cyclic.self = cyclic;
  console.log('format:', { a: 1, b: [1, 'two'], 'c-d': null }, new Map([[1, { x: 2n }]]), new Set(['s']), cyclic,
    [], {}, () => 0, Symbol('q'));
  return true;
});

Promise.all(pending).then(() => {
  console.log(`language: ${failures === 0 ? 'all passed' : failures + ' failed'}`);
  isolate.exit(failures);
});
