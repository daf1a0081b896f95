#include <archive.h>
#include <archive_entry.h>
#include <errno.h>

#include "check.h"
#include "digest.h"
#include "initrd.h"
#include "test_helpers.h"

struct seen {
  char path[64];
  int type, perm, uid, gid, nlink;
  long long mtime, ino;
  char data[64];
  char link[64];
};

/* Reads the archive back with libarchive. */
static int read_back(const char *path, struct seen *out, int max) {
  struct archive *a = archive_read_new();
  archive_read_support_format_cpio(a);
  int n = -1;
  if (archive_read_open_filename(a, path, 4096) == ARCHIVE_OK) {
    n = 0;
    struct archive_entry *e;
    while (n < max && archive_read_next_header(a, &e) == ARCHIVE_OK) {
      struct seen *s = &out[n++];
      memset(s, 0, sizeof *s);
      snprintf(s->path, sizeof s->path, "%s", archive_entry_pathname(e));
      s->type = (int)archive_entry_filetype(e);
      s->perm = (int)archive_entry_perm(e);
      s->uid = (int)archive_entry_uid(e);
      s->gid = (int)archive_entry_gid(e);
      s->nlink = (int)archive_entry_nlink(e);
      s->mtime = archive_entry_mtime(e);
      s->ino = archive_entry_ino64(e);
      if (archive_entry_symlink(e)) snprintf(s->link, sizeof s->link, "%s", archive_entry_symlink(e));
      la_ssize_t got = archive_read_data(a, s->data, sizeof s->data - 1);
      if (got > 0) s->data[got] = '\0';
    }
    CHECK(archive_format(a) == ARCHIVE_FORMAT_CPIO_SVR4_NOCRC); /* "newc" */
  }
  archive_read_free(a);
  return n;
}

int main(void) {
  char *dir = test_dir();
  put(dir, "src/b.js", "bee");
  put(dir, "src/tool.sh", "#!/bin/sh\n");
  char *tool = ib_strfmt("%s/src/tool.sh", dir), *b = ib_strfmt("%s/src/b.js", dir);
  chmod(tool, 0700);
  chmod(b, 0600); /* odd host modes are normalised */

  struct ib_entries e = {0};
  ib_entries_add_file(&e, "app/z/b.js", b, false);
  ib_entries_add_data(&e, "runtime.json", "{}\n", 3);
  ib_entries_add_file(&e, "app/tool.sh", tool, true);
  ib_entries_add_symlink(&e, "app/link", "z/b.js");
  ib_entries_add_dir(&e, "app/empty");
  char *out = ib_strfmt("%s/initrd.cpio", dir);
  struct ib_error err;
  CHECK(ib_initrd_write(&e, out, &err) == 0);

  struct seen s[16];
  int n = read_back(out, s, 16);
  CHECK(n == 7);
  const char *want[] = {"app", "app/empty", "app/link", "app/tool.sh", "app/z", "app/z/b.js", "runtime.json"};
  for (int i = 0; i < n && i < 7; i++) {
    CHECK_STR(s[i].path, want[i]);
    CHECK(s[i].uid == 0 && s[i].gid == 0 && s[i].mtime == 0);
    CHECK(s[i].ino == i + 1);
  }
  if (n == 7) {
    CHECK(s[0].type == AE_IFDIR && s[0].perm == 0755);
    CHECK(s[2].type == AE_IFLNK);
    CHECK_STR(s[2].link, "z/b.js");
    CHECK(s[3].type == AE_IFREG && s[3].perm == 0755);
    CHECK_STR(s[3].data, "#!/bin/sh\n");
    CHECK(s[5].type == AE_IFREG && s[5].perm == 0644);
    CHECK_STR(s[5].data, "bee");
    CHECK_STR(s[6].data, "{}\n");
  }

  /* Same entries, in another order, another time: the same bytes. */
  char d1[IB_DIGEST_LEN + 1], d2[IB_DIGEST_LEN + 1];
  CHECK(ib_digest_file(out, d1, NULL, &err) == 0);
  struct ib_entries r = {0};
  for (size_t i = e.count; i-- > 0;) {
    struct ib_entry *x = &e.v[i];
    if (x->kind == IB_ENTRY_FILE) ib_entries_add_file(&r, x->path, x->source, x->executable);
    else if (x->kind == IB_ENTRY_DATA) ib_entries_add_data(&r, x->path, x->data, x->size);
    else if (x->kind == IB_ENTRY_SYMLINK) ib_entries_add_symlink(&r, x->path, x->data);
    else ib_entries_add_dir(&r, x->path);
  }
  char *out2 = ib_strfmt("%s/initrd2.cpio", dir);
  CHECK(ib_initrd_write(&r, out2, &err) == 0);
  CHECK(ib_digest_file(out2, d2, NULL, &err) == 0);
  CHECK_STR(d1, d2);

  /* Replacing the config keeps everything else. */
  char *out3 = ib_strfmt("%s/initrd3.cpio", dir);
  CHECK(ib_initrd_replace_file(out, out3, "runtime.json", "{\"x\":1}\n", 8, &err) == 0);
  n = read_back(out3, s, 16);
  CHECK(n == 7);
  if (n == 7) {
    CHECK_STR(s[6].data, "{\"x\":1}\n");
    CHECK_STR(s[5].data, "bee");
  }
  CHECK(ib_initrd_replace_file(out, out3, "missing", "", 0, &err) == -ENOENT);

  /* Refused names and duplicates; nothing is written then. */
  const char *bad[] = {"/etc/passwd", "app/../x", "..", "app//x", "./x", "app/"};
  for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
    struct ib_entries x = {0};
    ib_entries_add_data(&x, bad[i], "x", 1);
    char *o = ib_strfmt("%s/bad.cpio", dir);
    CHECK(ib_initrd_write(&x, o, &err) == -EINVAL);
    CHECK(access(o, F_OK) != 0);
    free(o);
    ib_entries_free(&x);
  }
  CHECK_CONTAINS(err.msg, "app/");
  struct ib_entries dup = {0};
  ib_entries_add_data(&dup, "a", "x", 1);
  ib_entries_add_data(&dup, "a", "y", 1);
  CHECK(ib_initrd_write(&dup, out2, &err) == -EEXIST);
  CHECK_CONTAINS(err.msg, "twice");
  ib_entries_free(&dup);

  ib_entries_free(&e);
  ib_entries_free(&r);
  ib_remove_tree(dir);
  free(dir);
  free(tool);
  free(b);
  free(out);
  free(out2);
  free(out3);
  return CHECK_DONE();
}
