#include "progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 30
#define REDRAW_US 100000

static int64_t now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void reg_progress_start(struct reg_progress *p, bool wanted, const char *label, uint64_t total) {
  memset(p, 0, sizeof *p);
  p->on = wanted && isatty(STDERR_FILENO);
  snprintf(p->label, sizeof p->label, "%s", label);
  p->total = total;
}

void reg_progress_update(struct reg_progress *p, uint64_t done) {
  if (!p->on) return;
  int64_t t = now_us();
  if (done != p->total && t - p->last_us < REDRAW_US) return;
  p->last_us = t;
  p->last_drawn = done;
  if (done > p->total) done = p->total;
  int filled = p->total ? (int)(done * BAR_WIDTH / p->total) : BAR_WIDTH;
  char bar[BAR_WIDTH + 1];
  for (int i = 0; i < BAR_WIDTH; i++) bar[i] = i < filled ? '#' : '.';
  bar[BAR_WIDTH] = '\0';
  fprintf(stderr, "\r%-20s [%s] %7.1f/%.1f MiB", p->label, bar, (double)done / 1048576.0,
          (double)p->total / 1048576.0);
  fflush(stderr);
}

void reg_progress_end(struct reg_progress *p) {
  if (!p->on) return;
  fprintf(stderr, "\r%*s\r", 80, "");
  fflush(stderr);
  p->on = false;
}
