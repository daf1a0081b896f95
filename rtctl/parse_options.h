/* The option parser shared by every command (in the spirit of git's parse-options): each
 * command describes its options in a table, and gets uniform parsing, errors and help. */
#ifndef RTCTL_PARSE_OPTIONS_H
#define RTCTL_PARSE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum rt_option_type {
  RT_OPT_END,
  RT_OPT_BOOL,        /* bool *, set to true */
  RT_OPT_STRING,      /* const char **, the last one given wins */
  RT_OPT_UINT,        /* unsigned *, decimal, at least 1 */
  RT_OPT_STRING_LIST, /* struct rt_string_list *, every occurrence appended */
};

struct rt_string_list {
  const char **v;
  size_t count;
};

struct rt_option {
  enum rt_option_type type;
  char short_name;       /* 0: none */
  const char *long_name; /* NULL: none */
  void *value;
  const char *argh;      /* the value's name in help, e.g. "MiB" */
  const char *help;
};

#define RT_OPTION_END {RT_OPT_END, 0, NULL, NULL, NULL, NULL}

/* Status codes of rt_parse_options besides a count of positional arguments. */
#define RT_PARSE_ERROR (-1) /* a message was printed to stderr */
#define RT_PARSE_HELP (-2)  /* -h/--help: the usage was printed to stdout */

/* Parses argv[1..argc) (argv[0] is the command's name). Options and positional arguments may
 * be mixed; "--" ends the options. On success, the positional arguments are moved to
 * argv[0..n) and n is returned. */
int rt_parse_options(const char *cmd, int argc, char **argv, const struct rt_option *opts, const char *usage);

/* Prints "usage: ..." and the option table. */
void rt_print_usage(FILE *out, const char *usage, const struct rt_option *opts);

void rt_string_list_free(struct rt_string_list *list);

#endif
