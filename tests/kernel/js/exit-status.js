// isolate.exit(code) ends the VM with that status, even with work pending.
console.log('exiting with 3');
Promise.resolve().then(() => isolate.exit(3));
