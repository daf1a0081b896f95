/* The build pipeline shared by `build`, `image` and `run`: app folder -> npm dependencies ->
 * initrd + config -> local store. */
#ifndef RTCTL_APP_BUILD_H
#define RTCTL_APP_BUILD_H

#include <stdbool.h>
#include <stdio.h>

#include "ib_error.h"
#include "store.h"

/* The kernel ELF: $RUNTIMEJS_KERNEL, else the path CMake compiled in (RTCTL_KERNEL_PATH). */
int kernel_locate(char **path, struct ib_error *err);

/* Builds the app in dir into the store. A summary (sizes, digest) goes to report when not
 * NULL; npm's own output goes to stderr. */
int app_build(const char *dir, FILE *report, struct store_image *img, struct ib_error *err);

/* NAME|DIR as `image` and `run` take it: no argument, a path, or a folder with package.json
 * is built first; anything else is looked up in the store (and its kernel checked). */
int image_resolve(const char *arg, FILE *report, struct store_image *img, struct ib_error *err);

/* The same, and a REGISTRY/REPO[:TAG] reference missing from the store is pulled first (its
 * lines go to report, else stderr); insecure allows plain http to any registry. */
int image_resolve_pull(const char *arg, FILE *report, bool insecure, struct store_image *img, struct ib_error *err);

#endif
