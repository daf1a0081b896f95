// An unhandled promise rejection prints the error and fails the app.
async function load() {
  throw new RangeError('no such thing');
}
load();
