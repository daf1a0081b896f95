/* Instances: time parsing (--since), the state file round trip, names and stale state
 * detection. */
#include <errno.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "instance.h"
#include "test_helpers.h"
#include "time_text.h"

static void test_durations(void) {
  int64_t us;
  CHECK(time_parse_duration("10s", &us) == 0 && us == 10 * 1000000LL);
  CHECK(time_parse_duration("5m", &us) == 0 && us == 300 * 1000000LL);
  CHECK(time_parse_duration("2h", &us) == 0 && us == 7200 * 1000000LL);
  CHECK(time_parse_duration("1h30m", &us) == 0 && us == 5400 * 1000000LL);
  CHECK(time_parse_duration("250ms", &us) == 0 && us == 250000);
  CHECK(time_parse_duration("1d", &us) == 0 && us == 86400 * 1000000LL);
  CHECK_EQ(time_parse_duration("", &us), -EINVAL);
  CHECK_EQ(time_parse_duration("10", &us), -EINVAL);
  CHECK_EQ(time_parse_duration("s", &us), -EINVAL);
  CHECK_EQ(time_parse_duration("10x", &us), -EINVAL);
  CHECK_EQ(time_parse_duration("-5s", &us), -EINVAL);

  CHECK(time_parse_since("90s", 100 * 1000000LL, &us) == 0 && us == 10 * 1000000LL);
  CHECK(time_parse_since("1970-01-01T00:01:00Z", 0, &us) == 0 && us == 60 * 1000000LL);
  CHECK(time_parse_since("yesterday", 0, &us) < 0);
}

static void test_rfc3339(void) {
  int64_t us;
  CHECK(time_parse_rfc3339("2024-02-29T12:34:56Z", &us, NULL) == 0 && us == 1709210096LL * 1000000);
  CHECK(time_parse_rfc3339("2024-02-29T12:34:56.5Z", &us, NULL) == 0 && us == 1709210096LL * 1000000 + 500000);
  CHECK(time_parse_rfc3339("2024-02-29T14:34:56+02:00", &us, NULL) == 0 && us == 1709210096LL * 1000000);
  CHECK(time_parse_rfc3339("2024-02-29 11:34:56.000001-01:00", &us, NULL) == 0 && us == 1709210096LL * 1000000 + 1);
  CHECK(time_parse_rfc3339("2024-02-29T12:34:56", &us, NULL) < 0);       /* no zone */
  CHECK(time_parse_rfc3339("2024-13-01T00:00:00Z", &us, NULL) < 0);
  CHECK(time_parse_rfc3339("2024-02-29T12:34:56Zjunk", &us, NULL) < 0);
  const char *end;
  CHECK(time_parse_rfc3339("2024-02-29T12:34:56Z rest", &us, &end) == 0 && strcmp(end, " rest") == 0);
  char buf[TIME_RFC3339_LEN];
  time_format_rfc3339(1709210096LL * 1000000 + 42, buf);
  CHECK_STR(buf, "2024-02-29T12:34:56.000042Z");
  CHECK(time_parse_rfc3339(buf, &us, NULL) == 0 && us == 1709210096LL * 1000000 + 42);
  char age[16];
  time_format_age(12 * 1000000LL, age, sizeof age);
  CHECK_STR(age, "12s");
  time_format_age(3 * 60 * 1000000LL + 5, age, sizeof age);
  CHECK_STR(age, "3m");
  time_format_age(5 * 3600 * 1000000LL, age, sizeof age);
  CHECK_STR(age, "5h");
  time_format_age(3 * 86400 * 1000000LL, age, sizeof age);
  CHECK_STR(age, "3d");
}

static struct instance sample(void) {
  struct instance inst = {0};
  snprintf(inst.name, sizeof inst.name, "hello-2");
  snprintf(inst.image, sizeof inst.image, "@scope/hello");
  snprintf(inst.digest, sizeof inst.digest, "sha256:%064d", 7);
  inst.status = INSTANCE_EXITED;
  inst.pid = 4242;
  inst.pid_start = 123456789;
  inst.supervisor_pid = 4241;
  inst.supervisor_start = 123456780;
  snprintf(inst.accel, sizeof inst.accel, "kvm");
  inst.started_us = 1709210096LL * 1000000 + 1;
  inst.ended_us = 1709210100LL * 1000000 + 999999;
  inst.exit_code = 70;
  inst.detached = true;
  return inst;
}

/* Every field is in the JSON text, so equal texts mean equal states. */
static bool same(const struct instance *a, const struct instance *b) {
  char *ja = instance_to_json(a), *jb = instance_to_json(b);
  bool eq = strcmp(ja, jb) == 0;
  if (!eq) fprintf(stderr, "%s vs\n%s", ja, jb);
  free(ja);
  free(jb);
  return eq;
}

static void test_state_round_trip(void) {
  struct instance a = sample(), b;
  struct ib_error err;
  char *json = instance_to_json(&a);
  CHECK(instance_from_json(json, &b, &err) == 0);
  CHECK(same(&a, &b));
  free(json);

  a.status = INSTANCE_RUNNING;
  a.exit_code = -1;
  a.ended_us = 0;
  a.detached = false;
  json = instance_to_json(&a);
  CHECK_CONTAINS(json, "\"exit_code\":null");
  CHECK(strstr(json, "\"ended\"") == NULL);
  CHECK(instance_from_json(json, &b, &err) == 0);
  CHECK(same(&a, &b));
  free(json);

  CHECK(instance_from_json("{\"name\":\"x\",\"image\":\"x\",\"status\":\"dancing\"}", &b, &err) < 0);
  CHECK(instance_from_json("not json", &b, &err) < 0);
  CHECK(instance_from_json("{\"name\":\"x\",\"image\":\"x\",\"status\":\"exited\",\"pid\":-1}", &b, &err) < 0);

  /* Saved atomically under $XDG_STATE_HOME, loaded back, listed, removed. */
  char *dir = test_dir();
  setenv("XDG_STATE_HOME", dir, 1);
  a = sample();
  char *inst_dir;
  CHECK(instance_path(a.name, NULL, &inst_dir, &err) == 0);
  CHECK(ib_mkdir_p(inst_dir, &err) == 0);
  CHECK(instance_save(&a, &err) == 0);
  CHECK(instance_load("hello-2", &b, &err) == 0);
  CHECK(same(&a, &b));
  CHECK(instance_load("nope", &b, &err) == -ENOENT);
  CHECK_CONTAINS(err.msg, "nope: no such instance");
  CHECK(instance_load("../etc", &b, &err) == -EINVAL);
  char **names;
  size_t count;
  CHECK(instance_list(&names, &count, &err) == 0 && count == 1 && strcmp(names[0], "hello-2") == 0);
  instance_names_free(names, count);
  CHECK(instance_remove("hello-2", &err) == 0);
  CHECK(access(inst_dir, F_OK) != 0);
  free(inst_dir);
  ib_remove_tree(dir);
  free(dir);
}

static void test_names(void) {
  CHECK(instance_name_valid("hello"));
  CHECK(instance_name_valid("hello-2.x_y"));
  CHECK(!instance_name_valid(""));
  CHECK(!instance_name_valid(".hidden"));
  CHECK(!instance_name_valid("-x"));
  CHECK(!instance_name_valid("a/b"));
  CHECK(!instance_name_valid("a b"));

  char *dir = test_dir();
  setenv("XDG_STATE_HOME", dir, 1);
  struct instance a, b, c;
  struct ib_error err;
  /* This process is the supervisor of both: they are alive, so the second gets "-2". */
  CHECK(instance_create(NULL, "@scope/web", "sha256:x", true, &a, &err) == 0);
  CHECK_STR(a.name, "web");
  CHECK(a.status == INSTANCE_STARTING && a.supervisor_pid == getpid());
  CHECK(instance_create(NULL, "@scope/web", "sha256:x", true, &b, &err) == 0);
  CHECK_STR(b.name, "web-2");
  CHECK(instance_create("web", "other", NULL, false, &c, &err) == -EEXIST);
  CHECK_CONTAINS(err.msg, "web: an instance of that name is running");
  CHECK(instance_create("bad name", "other", NULL, false, &c, &err) == -EINVAL);
  /* Once "web" has ended, its name is free again and a new run replaces it. */
  a.status = INSTANCE_EXITED;
  a.exit_code = 0;
  CHECK(instance_save(&a, &err) == 0);
  CHECK(instance_create(NULL, "web", NULL, false, &c, &err) == 0);
  CHECK_STR(c.name, "web");
  CHECK(!c.detached);
  ib_remove_tree(dir);
  free(dir);
}

static void test_stale(void) {
  struct instance inst = sample();
  enum instance_status st;
  bool stale;
  unsigned long long my_start;
  CHECK(process_start_time(getpid(), &my_start) == 0);

  /* This process, with its real start time: alive. */
  inst.status = INSTANCE_RUNNING;
  inst.exit_code = -1;
  inst.pid = getpid();
  inst.pid_start = my_start;
  inst.supervisor_pid = 0;
  CHECK(instance_alive(&inst, &st, &stale));
  CHECK(st == INSTANCE_RUNNING && !stale);

  /* The same pid with another start time: a recycled pid, not our QEMU. */
  inst.pid_start = my_start + 1;
  CHECK(!instance_alive(&inst, &st, &stale));
  CHECK(st == INSTANCE_EXITED && stale);

  /* A pid whose process is gone (a child, reaped). */
  pid_t child = fork();
  if (child == 0) _exit(0);
  unsigned long long child_start = 0;
  process_start_time(child, &child_start);
  waitpid(child, NULL, 0);
  inst.pid = child;
  inst.pid_start = child_start;
  CHECK(!process_matches(child, child_start));
  CHECK(!instance_alive(&inst, &st, &stale));
  CHECK(st == INSTANCE_EXITED && stale);

  /* The supervisor still lives: it will record the end, the state is not stale yet. */
  inst.supervisor_pid = getpid();
  inst.supervisor_start = my_start;
  CHECK(instance_alive(&inst, &st, &stale));
  CHECK(!stale);

  /* Ended states are what they say, whatever the pids. */
  inst.status = INSTANCE_STOPPED;
  CHECK(!instance_alive(&inst, &st, &stale));
  CHECK(st == INSTANCE_STOPPED && !stale);
}

int main(void) {
  test_durations();
  test_rfc3339();
  test_state_round_trip();
  test_names();
  test_stale();
  return CHECK_DONE();
}
