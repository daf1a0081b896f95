/* Running host tools (grub-mkimage, mformat, npm, ...) without a shell. */
#ifndef IMAGE_BUILDER_TOOL_RUN_H
#define IMAGE_BUILDER_TOOL_RUN_H

#include "ib_error.h"

/* Runs argv[0] (looked up in PATH) with stdin from /dev/null. With quiet set, its stdout
 * and stderr are captured and, when it fails, the last line of its output is put into
 * the error message; otherwise they go to this process's stderr. Returns 0 when it exits 0. */
int ib_run_tool(char *const argv[], const char *cwd, int quiet, struct ib_error *err);

#endif
