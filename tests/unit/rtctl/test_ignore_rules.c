#include "check.h"
#include "ignore_rules.h"

int main(void) {
  CHECK(ib_glob_match("*.log", "a.log"));
  CHECK(!ib_glob_match("*.log", "d/a.log"));
  CHECK(ib_glob_match("a/**/b", "a/b"));
  CHECK(ib_glob_match("a/**/b", "a/x/y/b"));
  CHECK(ib_glob_match("**/x", "p/q/x"));
  CHECK(ib_glob_match("logs/**", "logs/a/b"));
  CHECK(ib_glob_match("f?o", "foo") && !ib_glob_match("f?o", "f/o"));
  CHECK(ib_glob_match("[a-c]x", "bx") && !ib_glob_match("[!a-c]x", "bx"));
  CHECK(ib_glob_match("\\*", "*") && !ib_glob_match("\\*", "a"));

  struct ib_ignore ig;
  ib_ignore_init(&ig);
  ib_ignore_add_text(&ig,
                     "# comment\n"
                     "\n"
                     "*.log\n"
                     "!keep.log\n"
                     "/build\n"
                     "tmp/\n"
                     "docs/*.md\n"
                     "  \n");
  CHECK(ib_ignore_match(&ig, ".git", true));         /* always */
  CHECK(ib_ignore_match(&ig, "sub/.git", true));
  CHECK(ib_ignore_match(&ig, "a.log", false));
  CHECK(ib_ignore_match(&ig, "deep/dir/a.log", false));
  CHECK(!ib_ignore_match(&ig, "keep.log", false));   /* negation: the last match wins */
  CHECK(!ib_ignore_match(&ig, "sub/keep.log", false));
  CHECK(ib_ignore_match(&ig, "build", true));        /* anchored */
  CHECK(!ib_ignore_match(&ig, "src/build", true));
  CHECK(ib_ignore_match(&ig, "tmp", true));          /* folders only */
  CHECK(ib_ignore_match(&ig, "x/tmp", true));
  CHECK(!ib_ignore_match(&ig, "tmp", false));
  CHECK(ib_ignore_match(&ig, "docs/a.md", false));
  CHECK(!ib_ignore_match(&ig, "docs/sub/a.md", false));
  CHECK(!ib_ignore_match(&ig, "index.js", false));
  CHECK(!ib_ignore_match(&ig, "# comment", false));
  ib_ignore_free(&ig);
  return CHECK_DONE();
}
