/* In-kernel self-tests, run when the command line has "selftest" (all), "selftest=NAME" (one)
 * or "selftest=crash" (a deliberate fatal fault, to test the fault report). Results go to the
 * console as "selftest: NAME ok" / "selftest: NAME FAILED: why"; the status ends the VM. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/* `cmdline` may carry "selftest_slack_us=N": how late a timed wake-up may be (default 1000).
 * Under emulation (QEMU TCG on a busy host) the harness widens it and says so. */
int selftest_run(const char *which, const char *cmdline);
extern uint64_t selftest_slack_ns;

/* A test returns NULL when it passed, else what went wrong. */
typedef const char *(*selftest_fn)(void);
struct selftest { const char *name; selftest_fn fn; };

/* Formats a failure message into a static buffer. */
const char *selftest_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

extern const struct selftest selftests_memory[], selftests_threads[], selftests_time[], selftests_libc[],
    selftests_glibc[];
