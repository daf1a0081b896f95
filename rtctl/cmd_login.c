/* rtctl login [-u USER] [--password-stdin] [--insecure] REGISTRY: checks the credentials
 * against the registry (GET /v2/), then stores them in the Docker config. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "docker_config.h"
#include "fs_util.h"
#include "parse_options.h"
#include "reference.h"
#include "remote.h"
#include "rtctl.h"

static const char usage[] = "rtctl login [-u USER] [--password-stdin] [--insecure] REGISTRY";

/* One line from f, without its end of line; NULL at end of file. */
static char *read_line(FILE *f) {
  char *line = NULL;
  size_t cap = 0;
  ssize_t n = getline(&line, &cap, f);
  if (n < 0) {
    free(line);
    return NULL;
  }
  while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r')) line[--n] = '\0';
  return line;
}

/* Prompts on the terminal; echo off for secrets. */
static char *prompt(const char *text, bool secret) {
  FILE *tty = fopen("/dev/tty", "r+");
  if (!tty) return NULL;
  fputs(text, tty);
  fflush(tty);
  struct termios old, quiet;
  bool restore = secret && tcgetattr(fileno(tty), &old) == 0;
  if (restore) {
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    tcsetattr(fileno(tty), TCSAFLUSH, &quiet);
  }
  char *line = read_line(tty);
  if (restore) {
    tcsetattr(fileno(tty), TCSAFLUSH, &old);
    fputc('\n', tty);
  }
  fclose(tty);
  return line;
}

static bool registry_only(const char *text) {
  struct reg_reference ref;
  struct ib_error ignored;
  char *probe = ib_strfmt("%s/x", text);
  bool ok = reg_reference_parse(probe, &ref, &ignored) == 0 && ref.registry && strcmp(ref.registry, text) == 0;
  if (ok) reg_reference_free(&ref);
  free(probe);
  return ok;
}

int cmd_login(int argc, char **argv) {
  const char *user_opt = NULL;
  bool password_stdin = false, insecure = false;
  const struct rt_option opts[] = {
      {RT_OPT_STRING, 'u', "username", &user_opt, "USER", "the user name (default: asked on the terminal)"},
      {RT_OPT_BOOL, 0, "password-stdin", &password_stdin, NULL, "read the password from standard input"},
      {RT_OPT_BOOL, 0, "insecure", &insecure, NULL, "plain http (always allowed for localhost and 127.0.0.1)"},
      RT_OPTION_END,
  };
  int n = rt_parse_options("login", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n != 1 || !registry_only(argv[0])) {
    rtctl_error("login", "expects one registry, HOST[:PORT] (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  const char *registry = argv[0];
  struct reg_credentials cred = {0};
  cred.user = user_opt ? ib_xstrdup(user_opt) : isatty(STDIN_FILENO) ? prompt("Username: ", false) : NULL;
  if (password_stdin) cred.password = read_line(stdin);
  else if (isatty(STDIN_FILENO)) cred.password = prompt("Password: ", true);
  int rc = RTCTL_EXIT_USAGE;
  if (!cred.user || !*cred.user) {
    rtctl_error("login", "no user name (give -u USER)");
    goto out;
  }
  if (!cred.password || !*cred.password) {
    rtctl_error("login", "no password (type it on a terminal, or give it with --password-stdin)");
    goto out;
  }
  rc = RTCTL_EXIT_FAILURE;
  struct reg_client_options co = {.insecure = insecure};
  struct reg_client *c;
  struct ib_error err;
  char *path = NULL;
  if (reg_client_new(registry, &cred, &co, &c, &err) < 0) {
    rtctl_error("login", "%s", err.msg);
    goto out;
  }
  int r = reg_client_ping(c, &err);
  reg_client_free(c);
  if (r == 0) r = docker_config_path(&path, &err);
  if (r == 0) r = docker_config_set(path, registry, &cred, &err);
  if (r < 0) {
    rtctl_error("login", "%s", err.msg);
  } else {
    printf("Login Succeeded: credentials for %s stored in %s\n", registry, path);
    rc = 0;
  }
  free(path);
out:
  reg_credentials_free(&cred);
  return rc;
}
