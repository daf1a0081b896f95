// CommonJS in the kernel: relative requires, a package from node_modules with its own "main",
// JSON, the module cache, a require cycle, __filename/__dirname, and a clear error for a
// missing module.
'use strict';
const a = require('./lib/a');
const dep = require('dep');
const data = require('./data.json');
const again = require('./lib/a.js');
let missing = '';
try { require('./nope'); } catch (e) { missing = e.code + ' ' + e.message; }
const checks = {
  relative: a.name === 'a' && a.fromB === 'b saw a partly',
  package_main: dep.version === '1.2.3' && dep.describe() === 'dep at /app/node_modules/dep/src/entry.js',
  json: data.answer === 42,
  cache: again === a,
  dirname: __dirname === '/app' && __filename === '/app/main.js' && module.id === '/app/main.js',
  missing: missing === "MODULE_NOT_FOUND Cannot find module './nope' from '/app'",
};
const failed = Object.entries(checks).filter(([, ok]) => !ok).map(([name]) => name);
console.log(`modules: ${failed.length === 0 ? 'all passed' : 'failed: ' + failed.join(', ')}`);
isolate.exit(failed.length);
