/* rtctl help [CMD]: a command's help is its own --help. */
#include <stdio.h>

#include "rtctl.h"

int cmd_help(int argc, char **argv) {
  if (argc < 2) {
    fputs("usage: rtctl help COMMAND\n\ncommands:\n", stdout);
    for (const struct rtctl_command *c = rtctl_commands; c->name; c++) printf("    %-8s %s\n", c->name, c->summary);
    return 0;
  }
  if (argc > 2) {
    rtctl_error("help", "expects one command name");
    return RTCTL_EXIT_USAGE;
  }
  const struct rtctl_command *c = rtctl_find_command(argv[1]);
  if (!c) {
    rtctl_error("help", "'%s' is not a command (see: rtctl --help)", argv[1]);
    return RTCTL_EXIT_USAGE;
  }
  char *help_argv[] = {argv[1], "--help", NULL};
  return c->run(2, help_argv);
}
