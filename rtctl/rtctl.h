/* rtctl: the host tool that builds Runtime.JS images and runs them in QEMU. One file per
 * command (cmd_*.c); this header lists them and the helpers they share. */
#ifndef RTCTL_RTCTL_H
#define RTCTL_RTCTL_H

#include <stdio.h>

/* Exit statuses besides the app's own (rtctl run). */
#define RTCTL_EXIT_FAILURE 1
#define RTCTL_EXIT_USAGE 2
#define RTCTL_EXIT_VM_FAILED 125 /* QEMU missing, failing, or the VM ended without a status */

struct rtctl_command {
  const char *name;
  int (*run)(int argc, char **argv); /* argv[0] is the command's name */
  const char *summary;
};

extern const struct rtctl_command rtctl_commands[];
const struct rtctl_command *rtctl_find_command(const char *name);

int cmd_new(int argc, char **argv);
int cmd_build(int argc, char **argv);
int cmd_image(int argc, char **argv);
int cmd_run(int argc, char **argv);
int cmd_logs(int argc, char **argv);
int cmd_ps(int argc, char **argv);
int cmd_stop(int argc, char **argv);
int cmd_rm(int argc, char **argv);
int cmd_help(int argc, char **argv);
int cmd_doctor(int argc, char **argv);
int cmd_push(int argc, char **argv);
int cmd_pull(int argc, char **argv);
int cmd_login(int argc, char **argv);
int cmd_logout(int argc, char **argv);
int cmd_images(int argc, char **argv);
int cmd_rmi(int argc, char **argv);

/* Prints "rtctl: CMD: message" to stderr, one line (errors and warnings alike). */
void rtctl_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* $VAR/SUB when $VAR (XDG_DATA_HOME, XDG_STATE_HOME) is an absolute path, else
 * $HOME/HOME_DEFAULT/SUB (e.g. ".local/state"); an error when neither is set. */
struct ib_error;
int rtctl_xdg_path(const char *var, const char *home_default, const char *sub, char **path, struct ib_error *err);

/* "1.2 MiB" style sizes. */
void rtctl_format_size(unsigned long long bytes, char *buf, size_t len);

#endif
