#include "ignore_rules.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fs_util.h"

void ib_ignore_init(struct ib_ignore *ig) {
  ig->rules = NULL;
  ig->count = 0;
  ib_ignore_add_line(ig, ".git");
}

void ib_ignore_free(struct ib_ignore *ig) {
  for (size_t i = 0; i < ig->count; i++) free(ig->rules[i].pattern);
  free(ig->rules);
  ig->rules = NULL;
  ig->count = 0;
}

void ib_ignore_add_line(struct ib_ignore *ig, const char *line) {
  size_t len = strcspn(line, "\r\n");
  while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t')) len--;
  if (len == 0 || line[0] == '#') return;
  struct ib_ignore_rule r = {0};
  if (line[0] == '!') {
    r.negate = true;
    line++;
    len--;
  } else if (line[0] == '\\' && (line[1] == '!' || line[1] == '#')) {
    line++;
    len--;
  }
  if (len > 0 && line[len - 1] == '/') {
    r.dir_only = true;
    len--;
  }
  if (len > 0 && line[0] == '/') {
    r.anchored = true;
    line++;
    len--;
  }
  if (len == 0) return;
  r.pattern = ib_xmalloc(len + 1);
  memcpy(r.pattern, line, len);
  r.pattern[len] = '\0';
  if (strchr(r.pattern, '/')) r.anchored = true;
  ig->rules = ib_xrealloc(ig->rules, (ig->count + 1) * sizeof *ig->rules);
  ig->rules[ig->count++] = r;
}

void ib_ignore_add_text(struct ib_ignore *ig, const char *text) {
  while (*text) {
    ib_ignore_add_line(ig, text);
    const char *nl = strchr(text, '\n');
    if (!nl) break;
    text = nl + 1;
  }
}

int ib_ignore_load(struct ib_ignore *ig, const char *path, struct ib_error *err) {
  char *text;
  int rc = ib_read_file(path, &text, NULL, err);
  if (rc == -ENOENT) return 0;
  if (rc < 0) return rc;
  ib_ignore_add_text(ig, text);
  free(text);
  return 0;
}

/* Matches one bracket class at *p against c; advances *p past the ']'. */
static bool match_class(const char **p, char c, bool *ok) {
  const char *s = *p + 1;
  bool neg = (*s == '!' || *s == '^');
  if (neg) s++;
  bool hit = false;
  bool first = true;
  while (*s && (*s != ']' || first)) {
    first = false;
    char lo = *s, hi = *s;
    if (s[1] == '-' && s[2] && s[2] != ']') {
      hi = s[2];
      s += 3;
    } else {
      s++;
    }
    if (c >= lo && c <= hi) hit = true;
  }
  if (*s != ']') {
    *ok = false; /* unterminated: treat '[' literally */
    return false;
  }
  *ok = true;
  *p = s + 1;
  return hit != neg;
}

bool ib_glob_match(const char *p, const char *t) {
  for (;;) {
    switch (*p) {
      case '\0':
        return *t == '\0';
      case '*':
        if (p[1] == '*') {
          const char *rest = p + 2;
          /* "**" + "/" also matches zero folders: "a/ ** /b" matches "a/b". */
          if (*rest == '/' && ib_glob_match(rest + 1, t)) return true;
          for (const char *s = t;; s++) {
            if (ib_glob_match(rest, s)) return true;
            if (*s == '\0') return false;
          }
        }
        for (const char *s = t;; s++) {
          if (ib_glob_match(p + 1, s)) return true;
          if (*s == '\0' || *s == '/') return false;
        }
      case '?':
        if (*t == '\0' || *t == '/') return false;
        p++;
        t++;
        break;
      case '[': {
        bool ok;
        const char *q = p;
        if (*t == '\0' || *t == '/') return false;
        bool hit = match_class(&q, *t, &ok);
        if (ok) {
          if (!hit) return false;
          p = q;
          t++;
          break;
        }
        if (*t != '[') return false;
        p++;
        t++;
        break;
      }
      case '\\':
        if (p[1]) p++;
        /* fall through */
      default:
        if (*p != *t) return false;
        p++;
        t++;
    }
  }
}

bool ib_ignore_match(const struct ib_ignore *ig, const char *rel_path, bool is_dir) {
  const char *base = strrchr(rel_path, '/');
  base = base ? base + 1 : rel_path;
  bool ignored = false;
  for (size_t i = 0; i < ig->count; i++) {
    const struct ib_ignore_rule *r = &ig->rules[i];
    if (r->dir_only && !is_dir) continue;
    if (ib_glob_match(r->pattern, r->anchored ? rel_path : base)) ignored = !r->negate;
  }
  return ignored;
}
