/* A minimal assertion harness for the host unit tests: every failed check is reported with
 * its place and values, and the test's exit status says whether any failed. */
#pragma once
#include <stdio.h>
#include <string.h>

static int check_failures;

#define CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #c); check_failures++; } } while (0)
#define CHECK_EQ(a, b) do { unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b); \
  if (a_ != b_) { fprintf(stderr, "%s:%d: CHECK_EQ failed: %s == %s (%#llx vs %#llx)\n", __FILE__, __LINE__, #a, #b, a_, b_); check_failures++; } } while (0)
#define CHECK_STR(a, b) do { const char *a_ = (a), *b_ = (b); \
  if (!a_ || !b_ || strcmp(a_, b_)) { fprintf(stderr, "%s:%d: CHECK_STR failed: \"%s\" vs \"%s\"\n", __FILE__, __LINE__, a_ ? a_ : "(null)", b_ ? b_ : "(null)"); check_failures++; } } while (0)
#define CHECK_CONTAINS(hay, needle) do { const char *h_ = (hay); \
  if (!h_ || !strstr(h_, needle)) { fprintf(stderr, "%s:%d: \"%s\" does not contain \"%s\"\n", __FILE__, __LINE__, h_ ? h_ : "(null)", needle); check_failures++; } } while (0)
#define CHECK_DONE() (check_failures ? (fprintf(stderr, "%d check(s) failed\n", check_failures), 1) : (printf("ok\n"), 0))
