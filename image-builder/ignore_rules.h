/* The app's ignore file (.rtignore): a gitignore-like subset.
 *
 *   # comment            blank lines and lines starting with '#' are skipped
 *   *.log                no '/' inside: matches the name at any depth
 *   /build  docs/x.md    a '/' at the start or inside: anchored at the app folder
 *   tmp/                 a trailing '/' matches folders only
 *   !keep.log            '!' re-includes what an earlier rule ignored
 *   a double star        matches across folders (in "a/DS/b", "DS/x", "logs/DS", DS = two stars)
 *
 * The last matching rule wins; a file inside an ignored folder stays ignored (the walk never
 * enters the folder), as in git. ".git" is always ignored. */
#ifndef IMAGE_BUILDER_IGNORE_RULES_H
#define IMAGE_BUILDER_IGNORE_RULES_H

#include <stdbool.h>
#include <stddef.h>

#include "ib_error.h"

struct ib_ignore_rule {
  char *pattern;  /* without '!', the leading '/' and the trailing '/' */
  bool negate;
  bool dir_only;
  bool anchored;  /* matched against the whole relative path, not only the last name */
};

struct ib_ignore {
  struct ib_ignore_rule *rules;
  size_t count;
};

void ib_ignore_init(struct ib_ignore *ig);
void ib_ignore_free(struct ib_ignore *ig);

/* Adds one line of an ignore file (comments and blank lines are accepted and skipped). */
void ib_ignore_add_line(struct ib_ignore *ig, const char *line);

/* Adds every line of text. */
void ib_ignore_add_text(struct ib_ignore *ig, const char *text);

/* Reads an ignore file; a missing file adds nothing and is not an error. */
int ib_ignore_load(struct ib_ignore *ig, const char *path, struct ib_error *err);

/* rel_path is relative to the app folder, '/'-separated, with no leading '/'. */
bool ib_ignore_match(const struct ib_ignore *ig, const char *rel_path, bool is_dir);

/* Shell-style glob: '*' and '?' stop at '/', '**' crosses it, "[a-z]" and "[!a]" classes,
 * '\' escapes the next character. */
bool ib_glob_match(const char *pattern, const char *text);

#endif
