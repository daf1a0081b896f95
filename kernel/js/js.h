/* The JavaScript runtime's C interface to the rest of the kernel (kernel/js is the only C++). */
#pragma once
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Initialises V8 once (platform, entropy, flags). Returns 0, or a negative value after
 * printing why. */
int js_init(void);

/* Runs an app: `config_json` is /runtime.json, whose "main" names the entry module (loaded
 * with require(), from the image through app_file). Runs it, then the event loop until no work
 * is left. Returns the app's exit status: isolate.exit(code), 1 for an uncaught exception or
 * unhandled rejection, else 0. */
int js_run_app(const char *config_json, size_t config_len);

/* Provided by the kernel (core/app.c): a regular file of the app's image by absolute path
 * ("/app/index.js"); NULL when there is none. */
const char *app_file(const char *path, size_t *len);

/* The V8 version string. */
const char *js_engine_version(void);

#ifdef __cplusplus
}
#endif
