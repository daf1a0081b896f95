// An uncaught exception prints the error with its stack (file:line:column) and fails.
function explode() {
  throw new TypeError('kaboom');
}
explode();
