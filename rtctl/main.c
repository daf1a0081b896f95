#include <stdio.h>
#include <string.h>

#include "rtctl.h"

#ifndef RTCTL_VERSION
#define RTCTL_VERSION "unknown"
#endif

static void print_overview(FILE *out) {
  fputs("usage: rtctl [--version] [--help] COMMAND [ARGS]\n\ncommands:\n", out);
  for (const struct rtctl_command *c = rtctl_commands; c->name; c++) fprintf(out, "    %-8s %s\n", c->name, c->summary);
  fputs("\nSee 'rtctl help COMMAND' for a command's options.\n", out);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    print_overview(stderr);
    return RTCTL_EXIT_USAGE;
  }
  const char *first = argv[1];
  if (strcmp(first, "--help") == 0 || strcmp(first, "-h") == 0) {
    print_overview(stdout);
    return 0;
  }
  if (strcmp(first, "--version") == 0) {
    printf("rtctl %s\n", RTCTL_VERSION);
    return 0;
  }
  if (first[0] == '-') {
    rtctl_error(NULL, "unknown option %s (see: rtctl --help)", first);
    return RTCTL_EXIT_USAGE;
  }
  const struct rtctl_command *c = rtctl_find_command(first);
  if (!c) {
    rtctl_error(NULL, "'%s' is not a command (see: rtctl --help)", first);
    return RTCTL_EXIT_USAGE;
  }
  return c->run(argc - 1, argv + 1);
}
