/* An app folder (package.json, its files, node_modules) turned into initrd entries.
 *
 * package.json: "name" (npm rules: lowercase, optional @scope/) and "version" are required;
 * "main" defaults to index.js and must stay inside the folder. An optional "runtimejs" object
 * gives image defaults: {"memory": MiB, "env": {...}, "args": [...], "ports": ["80/tcp"]}.
 *
 * The walk puts the app under app/ in the initrd and refuses, with a message naming the path:
 * native addons (*.node, binding.gyp; the message names the npm package), symlinks that point
 * outside the folder or nowhere, and anything that is not a file, folder or symlink. Symlinks
 * inside the folder are kept as relative symlinks. The ignore file is .rtignore. */
#ifndef IMAGE_BUILDER_APP_PACKAGE_H
#define IMAGE_BUILDER_APP_PACKAGE_H

#include <stdbool.h>

#include "ib_error.h"
#include "ignore_rules.h"
#include "image_config.h"
#include "initrd.h"

#define IB_APP_PREFIX "app"          /* the app's folder inside the initrd */
#define IB_APP_IGNORE_FILE ".rtignore"

struct ib_app {
  char *dir;               /* canonical absolute path of the app folder */
  struct ib_config config; /* main is absolute in the initrd: "/app/index.js" */
  bool has_dependencies;   /* package.json lists "dependencies" */
  struct ib_ignore ignore;
};

int ib_app_load(const char *dir, struct ib_app *app, struct ib_error *err);
void ib_app_free(struct ib_app *app);

/* Adds the app's files (under app/) to entries. */
int ib_app_collect(const struct ib_app *app, struct ib_entries *entries, struct ib_error *err);

/* True when name is a valid npm package name (and therefore safe as a folder name). */
bool ib_package_name_valid(const char *name);

#endif
