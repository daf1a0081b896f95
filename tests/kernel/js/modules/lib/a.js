exports.name = 'a';
exports.fromB = require('./b').seen;
