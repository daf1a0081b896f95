/* Running an image as an instance (rtctl run): QEMU with its console and log channel stored
 * in the instance's log (INSTANCE_LOG_FILE) and its end recorded in the instance's state.
 * Attached, this process supervises QEMU and prints the isolates' logs; detached, a forked
 * child in its own session does, and the command returns at once. */
#ifndef RTCTL_INSTANCE_RUN_H
#define RTCTL_INSTANCE_RUN_H

#include "log_entry.h"
#include "store.h"

#define INSTANCE_LOG_FILE "log.jsonl" /* JSON lines, log_entry.h */

struct instance_launch {
  const struct store_image *img;
  const char *initrd;       /* the initrd to boot (the image's, or a rewritten copy) */
  const char *cleanup_dir;  /* removed once QEMU has ended (NULL: none) */
  unsigned memory_mib, cpus;
  const char *name;         /* --name, or NULL for the image's name */
  bool show_kernel;         /* attached: print the kernel's console lines too */
  struct log_format format; /* attached: how entries are printed */
};

/* Returns rtctl run's exit status: the app's, 125 for VM failures, 128+signal. */
int instance_run_attached(const struct instance_launch *l);

/* Prints the instance's name and returns 0 once QEMU runs, or prints an error and returns
 * non-zero. */
int instance_run_detached(const struct instance_launch *l);

#endif
