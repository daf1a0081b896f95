/* The application in the initrd: /runtime.json names its entry script, which V8 runs. A
 * kernel built without V8 (RUNTIMEJS_V8=OFF) checks the image, names the entry and fails with
 * EXIT_NO_JAVASCRIPT, so nothing pretends the app ran. */
#include <stdio.h>
#include <string.h>
#include "app.h"
#include "cpio.h"
#include "log.h"
#include "machine.h"
#include "clock.h"
#include "sched.h"
#ifdef RUNTIMEJS_WITH_JS
#include "../js/js.h"
#endif

/* The string value of a top-level "key" in a JSON object (no escapes in the value). Enough to
 * name the entry; the runtime parses the whole config with JSON.parse once JS runs. */
static bool json_string_field(const char *json, size_t len, const char *key, char *out, size_t size) {
  char pattern[64];
  size_t plen = (size_t)snprintf(pattern, sizeof pattern, "\"%s\"", key);
  for (size_t i = 0; i + plen <= len; i++) {
    if (memcmp(json + i, pattern, plen)) continue;
    size_t j = i + plen;
    while (j < len && (json[j] == ' ' || json[j] == ':' || json[j] == '\n' || json[j] == '\t')) j++;
    if (j >= len || json[j] != '"') return false;
    size_t k = ++j;
    while (k < len && json[k] != '"' && json[k] != '\\') k++;
    if (k >= len || json[k] != '"' || k - j >= size) return false;
    memcpy(out, json + j, k - j);
    out[k - j] = 0;
    return true;
  }
  return false;
}

#ifdef RUNTIMEJS_WITH_JS
#define APP_STACK_SIZE (4u << 20)

struct app_run { const struct cpio_entry *config; int status; };

static const uint8_t *image;
static size_t image_size;

const char *app_file(const char *path, size_t *len) {
  struct cpio_entry e;
  if (!image || !cpio_find(image, image_size, path, &e)) return 0;
  *len = e.size;
  return (const char *)e.data;
}

static void *run_app_thread(void *arg) {
  struct app_run *run = arg;
  if (js_init()) {
    run->status = EXIT_KERNEL_PANIC;
    return 0;
  }
  uint64_t t = clock_monotonic_ns();
  kprintf("js: V8 %s ready %lu.%03lu ms after the first instruction\n", js_engine_version(), t / 1000000, t / 1000 % 1000);
  run->status = js_run_app((const char *)run->config->data, run->config->size);
  return 0;
}
#endif

int app_run(const struct boot_info *bi) {
  if (!bi->initrd_size) {
    kprintf("app: no initrd: boot with an image built by rtctl (or -initrd)\n");
    return EXIT_BAD_IMAGE;
  }
  const uint8_t *initrd = (const uint8_t *)bi->initrd_start;
  struct cpio_entry config, entry;
  if (!cpio_find(initrd, bi->initrd_size, "runtime.json", &config)) {
    kprintf("app: the initrd has no /runtime.json (not an rtctl image)\n");
    return EXIT_BAD_IMAGE;
  }
  char main_path[256];
  if (!json_string_field((const char *)config.data, config.size, "main", main_path, sizeof main_path)) {
    kprintf("app: /runtime.json has no \"main\" string\n");
    return EXIT_BAD_IMAGE;
  }
  if (!cpio_find(initrd, bi->initrd_size, main_path, &entry)) {
    kprintf("app: entry script %s is not in the initrd\n", main_path);
    return EXIT_BAD_IMAGE;
  }
  size_t files = 0, off = 0;
  struct cpio_entry e;
  while (cpio_next(initrd, bi->initrd_size, &off, &e) == 1) files++;
  kprintf("app: image has %zu entries; entry %s (%zu bytes)\n", files, main_path, entry.size);
#ifdef RUNTIMEJS_WITH_JS
  /* V8 sizes its stack limit from the thread's stack (984 KiB by default): the app gets a
   * thread with a 4 MiB guarded stack rather than the small boot stack. */
  image = initrd;
  image_size = bi->initrd_size;
  struct app_run run = { &config, 0 };
  struct thread *t = thread_create("app", run_app_thread, &run, APP_STACK_SIZE);
  if (!t) {
    kprintf("app: no memory for the app's thread\n");
    return EXIT_KERNEL_PANIC;
  }
  thread_join(t);
  return run.status;
#else
  kprintf("app: JavaScript engine not available (this kernel was built without V8): cannot run %s\n", main_path);
  return EXIT_NO_JAVASCRIPT;
#endif
}
