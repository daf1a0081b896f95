// The JavaScript side of the runtime, run before the app: `console` and `isolate`.
'use strict';
(function (native, configText) {
  const config = JSON.parse(configText);

  function format(value, depth, seen) {
    if (typeof value === 'string') return depth === 0 ? value : JSON.stringify(value);
    if (typeof value === 'function') return `[Function: ${value.name || '(anonymous)'}]`;
    if (typeof value === 'bigint') return `${value}n`;
    if (typeof value === 'symbol') return value.toString();
    if (value === null || typeof value !== 'object') return String(value);
    if (value instanceof Error) return value.stack || String(value);
    if (seen.has(value)) return '[Circular]';
    if (depth > 2) return Array.isArray(value) ? '[Array]' : '[Object]';
    seen.add(value);
    let text;
    if (Array.isArray(value)) {
      text = `[ ${value.map((v) => format(v, depth + 1, seen)).join(', ')} ]`;
      if (value.length === 0) text = '[]';
    } else if (value instanceof Map) {
      text = `Map(${value.size}) { ${[...value].map(([k, v]) => `${format(k, depth + 1, seen)} => ${format(v, depth + 1, seen)}`).join(', ')} }`;
    } else if (value instanceof Set) {
      text = `Set(${value.size}) { ${[...value].map((v) => format(v, depth + 1, seen)).join(', ')} }`;
    } else {
      const keys = Object.keys(value);
      const name = value.constructor && value.constructor !== Object && value.constructor.name ? `${value.constructor.name} ` : '';
      text = keys.length === 0 ? `${name}{}` : `${name}{ ${keys.map((k) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${format(value[k], depth + 1, seen)}`).join(', ')} }`;
    }
    seen.delete(value);
    return text;
  }

  function line(args) {
    return args.map((a) => format(a, 0, new Set())).join(' ');
  }

  // Levels as the log channel numbers them (kernel/core/log_record.h).
  const DEBUG = 0, INFO = 1, WARN = 2, ERROR = 3;
  const console = {
    log: (...args) => native.write(line(args), INFO),
    info: (...args) => native.write(line(args), INFO),
    warn: (...args) => native.write(line(args), WARN),
    error: (...args) => native.write(line(args), ERROR),
    debug: (...args) => native.write(line(args), DEBUG),
  };

  const isolate = {
    data: undefined,
    env: Object.freeze({ ...config.env }),
    args: Object.freeze([...(config.args || [])]),
    system: undefined,
    log: (...args) => native.write(line(args), INFO),
    exit: (code = 0) => native.exit(code | 0),
    uptime: () => native.uptime(),   // ms since the kernel's first instruction
  };

  // Timers: a list sorted by deadline (uptime ms), then by creation; immediates run first.
  let timers = [];
  let immediates = [];
  let nextId = 1;
  function addTimer(fn, ms, args, repeat) {
    if (typeof fn !== 'function') throw new TypeError('the callback must be a function');
    const delay = Math.max(1, Number(ms) || 0);
    const t = { id: nextId++, fn, args, delay, repeat, due: native.uptime() + delay };
    insert(t);
    return t.id;
  }
  function insert(t) {
    let i = timers.length;
    while (i > 0 && timers[i - 1].due > t.due) i--;
    timers.splice(i, 0, t);
  }
  function clearTimer(id) {
    timers = timers.filter((t) => t.id !== id);
  }
  native.setTimerRunner(function runTimers() {
    const batch = immediates;
    immediates = [];
    for (const im of batch) if (!im.cleared) im.fn(...im.args);
    const now = native.uptime();
    while (timers.length && timers[0].due <= now) {
      const t = timers.shift();
      if (t.repeat) { t.due = Math.max(t.due + t.delay, now); insert(t); }
      t.fn(...t.args);
    }
    if (immediates.length) return 0;
    return timers.length ? timers[0].due : -1;
  });
  const timerApi = {
    setTimeout: (fn, ms, ...args) => addTimer(fn, ms, args, false),
    setInterval: (fn, ms, ...args) => addTimer(fn, ms, args, true),
    clearTimeout: clearTimer,
    clearInterval: clearTimer,
    setImmediate: (fn, ...args) => {
      if (typeof fn !== 'function') throw new TypeError('the callback must be a function');
      const im = { fn, args, cleared: false };
      immediates.push(im);
      return im;
    },
    clearImmediate: (im) => { if (im) im.cleared = true; },
    queueMicrotask: (fn) => {
      if (typeof fn !== 'function') throw new TypeError('the callback must be a function');
      Promise.resolve().then(() => fn());
    },
  };
  for (const [name, fn] of Object.entries(timerApi)) {
    Object.defineProperty(globalThis, name, { value: fn, writable: true, configurable: true });
  }

  Object.defineProperty(globalThis, 'console', { value: console, writable: true, configurable: true });
  Object.defineProperty(globalThis, 'isolate', { value: isolate, writable: false, configurable: false });
  delete globalThis.__native;
  delete globalThis.__config;

  // CommonJS modules from the image: relative and absolute paths, node_modules lookup,
  // package.json "main", .js/.json/index.js, a cache, cycles (partial exports), like Node.
  const cache = new Map();
  const dirname = (p) => p.slice(0, p.lastIndexOf('/')) || '/';
  function normalize(path) {
    const out = [];
    for (const part of path.split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') out.pop(); else out.push(part);
    }
    return '/' + out.join('/');
  }
  const isFile = (p) => native.readFile(p) !== undefined;
  function asFile(p) {
    for (const candidate of [p, p + '.js', p + '.json']) if (isFile(candidate)) return candidate;
    return undefined;
  }
  function asDirectory(p) {
    const pkgText = native.readFile(p + '/package.json');
    if (pkgText !== undefined) {
      const main = JSON.parse(pkgText).main;
      if (main) {
        const m = asFile(normalize(p + '/' + main)) || asFile(normalize(p + '/' + main) + '/index');
        if (m) return m;
      }
    }
    return asFile(p + '/index');
  }
  function resolve(request, fromDir) {
    if (request.startsWith('./') || request.startsWith('../') || request.startsWith('/')) {
      const p = normalize(request.startsWith('/') ? request : fromDir + '/' + request);
      const found = asFile(p) || asDirectory(p);
      if (found) return found;
    } else {
      for (let dir = fromDir; ; dir = dirname(dir)) {
        if (!dir.endsWith('/node_modules')) {
          const p = normalize(dir + '/node_modules/' + request);
          const found = asFile(p) || asDirectory(p);
          if (found) return found;
        }
        if (dir === '/') break;
      }
    }
    const err = new Error(`Cannot find module '${request}' from '${fromDir}'`);
    err.code = 'MODULE_NOT_FOUND';
    throw err;
  }
  function load(filename) {
    const cached = cache.get(filename);
    if (cached) return cached.exports;
    const module = { id: filename, filename, exports: {}, loaded: false, children: [] };
    cache.set(filename, module);
    const source = native.readFile(filename);
    try {
      if (filename.endsWith('.json')) {
        module.exports = JSON.parse(source);
      } else {
        const fn = native.compileFunction(source, filename, 'exports', 'require', 'module', '__filename', '__dirname');
        fn.call(module.exports, module.exports, makeRequire(filename), module, filename, dirname(filename));
      }
    } catch (e) {
      cache.delete(filename);
      throw e;
    }
    module.loaded = true;
    return module.exports;
  }
  function makeRequire(from) {
    const require = (request) => load(resolve(String(request), dirname(from)));
    require.resolve = (request) => resolve(String(request), dirname(from));
    require.cache = cache;
    return require;
  }
  load(resolve(config.main, '/'));
})(globalThis.__native, globalThis.__config);
