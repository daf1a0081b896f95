// Required while a.js is still loading: sees a's exports so far.
exports.seen = require('./a').name === 'a' ? 'b saw a partly' : 'b saw nothing';
