#include "parse_options.h"

#include <stdlib.h>
#include <string.h>

#include "fs_util.h"
#include "rtctl.h"

void rt_string_list_free(struct rt_string_list *list) {
  free(list->v);
  list->v = NULL;
  list->count = 0;
}

static const struct rt_option *find_long(const struct rt_option *opts, const char *name, size_t len) {
  for (; opts->type != RT_OPT_END; opts++)
    if (opts->long_name && strlen(opts->long_name) == len && strncmp(opts->long_name, name, len) == 0) return opts;
  return NULL;
}

static const struct rt_option *find_short(const struct rt_option *opts, char c) {
  for (; opts->type != RT_OPT_END; opts++)
    if (opts->short_name == c) return opts;
  return NULL;
}

/* The option as the user spelled it, for messages. */
static void option_label(const struct rt_option *o, bool as_long, char *buf, size_t len) {
  if (as_long) snprintf(buf, len, "--%s", o->long_name);
  else snprintf(buf, len, "-%c", o->short_name);
}

static int set_value(const char *cmd, const struct rt_option *o, const char *label, const char *arg) {
  switch (o->type) {
    case RT_OPT_STRING:
      *(const char **)o->value = arg;
      return 0;
    case RT_OPT_UINT: {
      char *end;
      unsigned long v = strtoul(arg, &end, 10);
      if (arg[0] < '0' || arg[0] > '9' || *end != '\0' || v == 0 || v > 0xffffffffUL) {
        rtctl_error(cmd, "%s: \"%s\" is not a positive number", label, arg);
        return RT_PARSE_ERROR;
      }
      *(unsigned *)o->value = (unsigned)v;
      return 0;
    }
    case RT_OPT_STRING_LIST: {
      struct rt_string_list *l = o->value;
      l->v = ib_xrealloc(l->v, (l->count + 1) * sizeof *l->v);
      l->v[l->count++] = arg;
      return 0;
    }
    default:
      return RT_PARSE_ERROR;
  }
}

int rt_parse_options(const char *cmd, int argc, char **argv, const struct rt_option *opts, const char *usage) {
  int npos = 0;
  bool only_positional = false;
  for (int i = 1; i < argc; i++) {
    char *a = argv[i];
    if (only_positional || a[0] != '-' || a[1] == '\0') {
      argv[npos++] = a;
      continue;
    }
    if (strcmp(a, "--") == 0) {
      only_positional = true;
      continue;
    }
    if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
      rt_print_usage(stdout, usage, opts);
      return RT_PARSE_HELP;
    }
    const struct rt_option *o;
    const char *inline_value = NULL;
    bool as_long = a[1] == '-';
    if (as_long) {
      const char *name = a + 2, *eq = strchr(name, '=');
      size_t len = eq ? (size_t)(eq - name) : strlen(name);
      o = find_long(opts, name, len);
      if (!o) {
        rtctl_error(cmd, "unknown option --%.*s (see: rtctl help %s)", (int)len, name, cmd);
        return RT_PARSE_ERROR;
      }
      if (eq) inline_value = eq + 1;
    } else {
      o = find_short(opts, a[1]);
      if (!o) {
        rtctl_error(cmd, "unknown option -%c (see: rtctl help %s)", a[1], cmd);
        return RT_PARSE_ERROR;
      }
      if (a[2]) inline_value = a + 2;
    }
    char label[64];
    option_label(o, as_long, label, sizeof label);
    if (o->type == RT_OPT_BOOL) {
      if (inline_value) {
        rtctl_error(cmd, "%s takes no value", label);
        return RT_PARSE_ERROR;
      }
      *(bool *)o->value = true;
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= argc) {
        rtctl_error(cmd, "%s needs a value (%s)", label, o->argh ? o->argh : "value");
        return RT_PARSE_ERROR;
      }
      inline_value = argv[++i];
    }
    if (set_value(cmd, o, label, inline_value) != 0) return RT_PARSE_ERROR;
  }
  argv[npos] = NULL;
  return npos;
}

void rt_print_usage(FILE *out, const char *usage, const struct rt_option *opts) {
  fprintf(out, "usage: %s\n", usage);
  if (opts->type == RT_OPT_END) return;
  fputc('\n', out);
  for (; opts->type != RT_OPT_END; opts++) {
    char left[80];
    int n = 0;
    if (opts->short_name) n += snprintf(left + n, sizeof left - (size_t)n, "-%c", opts->short_name);
    if (opts->long_name)
      n += snprintf(left + n, sizeof left - (size_t)n, "%s--%s", opts->short_name ? ", " : "    ", opts->long_name);
    if (opts->type != RT_OPT_BOOL) snprintf(left + n, sizeof left - (size_t)n, " %s", opts->argh ? opts->argh : "VALUE");
    fprintf(out, "    %-24s %s\n", left, opts->help);
  }
  fprintf(out, "    %-24s %s\n", "-h, --help", "show this help");
}
