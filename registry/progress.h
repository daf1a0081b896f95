/* A one-line progress bar on stderr for blob transfers, drawn only when stderr is a
 * terminal (and the caller asked for it): pipes and logs get no carriage returns. */
#ifndef REGISTRY_PROGRESS_H
#define REGISTRY_PROGRESS_H

#include <stdbool.h>
#include <stdint.h>

struct reg_progress {
  bool on;
  char label[24];
  uint64_t total;
  uint64_t last_drawn;
  int64_t last_us;
};

void reg_progress_start(struct reg_progress *p, bool wanted, const char *label, uint64_t total);
void reg_progress_update(struct reg_progress *p, uint64_t done);
/* Clears the line. */
void reg_progress_end(struct reg_progress *p);

#endif
