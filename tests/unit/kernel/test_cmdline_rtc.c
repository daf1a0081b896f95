#include <stdint.h>
#include "check.h"
#include "cmdline.h"
#include "rtc.h"

int main(void) {
  char v[16];
  CHECK(cmdline_get("quiet selftest=time.monotonic x=1", "selftest", v, sizeof v));
  CHECK_STR(v, "time.monotonic");
  CHECK(cmdline_get("quiet selftest", "selftest", v, sizeof v));
  CHECK_STR(v, "");
  CHECK(cmdline_get("selftest_slack_us=50 selftest", "selftest", v, sizeof v));
  CHECK_STR(v, "");
  CHECK(cmdline_get("selftest_slack_us=50000", "selftest_slack_us", v, sizeof v));
  CHECK_STR(v, "50000");
  CHECK(!cmdline_get("selftests", "selftest", v, sizeof v));
  CHECK(!cmdline_get("", "selftest", v, sizeof v));
  CHECK(cmdline_get("k=0123456789abcdefXYZ", "k", v, sizeof v));
  CHECK_STR(v, "0123456789abcde");   /* truncated to the buffer */

  CHECK_EQ(days_from_civil(1970, 1, 1), 0);
  CHECK_EQ(days_from_civil(2000, 3, 1), 11017);
  CHECK_EQ(days_from_civil(2026, 12, 4) * 86400, 1796342400);
  CHECK_EQ(days_from_civil(2024, 2, 29) + 1, days_from_civil(2024, 3, 1));
  return CHECK_DONE();
}
