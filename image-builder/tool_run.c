#define _GNU_SOURCE
#include "tool_run.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs_util.h"

extern char **environ;

/* The last non-empty line of text, trimmed. */
static void last_line(char *text, size_t n, char *out, size_t outlen) {
  while (n > 0 && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' ')) n--;
  text[n] = '\0';
  char *nl = strrchr(text, '\n');
  snprintf(out, outlen, "%s", nl ? nl + 1 : text);
}

int ib_run_tool(char *const argv[], const char *cwd, int quiet, struct ib_error *err) {
  int pipefd[2] = {-1, -1};
  if (quiet && pipe2(pipefd, O_CLOEXEC) != 0) return ib_fail(err, -errno, "pipe: %s", strerror(errno));
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  if (quiet) {
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
  } else {
    posix_spawn_file_actions_adddup2(&fa, 2, 1);
  }
  if (cwd) posix_spawn_file_actions_addchdir_np(&fa, cwd);
  pid_t pid;
  int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
  posix_spawn_file_actions_destroy(&fa);
  if (quiet) close(pipefd[1]);
  if (rc != 0) {
    if (quiet) close(pipefd[0]);
    return ib_fail(err, -rc, "%s: %s", argv[0], rc == ENOENT ? "not found (is it installed?)" : strerror(rc));
  }
  size_t cap = 4096, n = 0;
  char *out = ib_xmalloc(cap);
  if (quiet) {
    for (;;) {
      if (n + 1 >= cap) out = ib_xrealloc(out, cap *= 2);
      ssize_t got = read(pipefd[0], out + n, cap - n - 1);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      n += (size_t)got;
    }
    close(pipefd[0]);
  }
  int status;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  char line[512] = "";
  if (quiet) last_line(out, n, line, sizeof line);
  free(out);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
  if (WIFSIGNALED(status)) return ib_fail(err, -EIO, "%s: killed by signal %d", argv[0], WTERMSIG(status));
  return ib_fail(err, -EIO, "%s failed (exit %d)%s%s", argv[0], WEXITSTATUS(status), line[0] ? ": " : "", line);
}
