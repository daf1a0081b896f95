/* rtctl ps [--all] [--json]: the instances, running ones (with --all, ended ones too). A
 * state file that claims a running instance whose QEMU is gone (or whose pid now belongs to
 * another process) is shown as "exited (unknown)". */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "instance.h"
#include "parse_options.h"
#include "rtctl.h"
#include "time_text.h"

static const char usage[] = "rtctl ps [-a] [--json]";

/* "running 12s", "exited (3) 5m ago", "exited (unknown)", "stopped 2s ago". */
static void status_text(const struct instance *inst, enum instance_status st, bool stale, int64_t now, char *buf,
                        size_t len) {
  char age[16];
  if (st == INSTANCE_STARTING || st == INSTANCE_RUNNING) {
    time_format_age(now - inst->started_us, age, sizeof age);
    snprintf(buf, len, "%s %s", instance_status_name(st), age);
  } else if (stale) {
    snprintf(buf, len, "exited (unknown)");
  } else {
    time_format_age(now - inst->ended_us, age, sizeof age);
    if (st == INSTANCE_STOPPED) snprintf(buf, len, "stopped %s ago", age);
    else if (inst->exit_code < 0) snprintf(buf, len, "exited (unknown) %s ago", age);
    else snprintf(buf, len, "exited (%d) %s ago", inst->exit_code, age);
  }
}

static void print_json(const struct instance *inst, enum instance_status st, bool stale) {
  char *text = instance_to_json(inst);
  json_t *o = json_loads(text, 0, NULL);
  free(text);
  json_object_set_new(o, "status", json_string(instance_status_name(st)));
  json_object_set_new(o, "stale", json_boolean(stale));
  if (stale) json_object_set_new(o, "exit_code", json_null());
  json_object_del(o, "pid_start");
  json_object_del(o, "supervisor_start");
  text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  puts(text);
  free(text);
  json_decref(o);
}

int cmd_ps(int argc, char **argv) {
  bool all = false, as_json = false;
  const struct rt_option opts[] = {
      {RT_OPT_BOOL, 'a', "all", &all, NULL, "show ended instances too"},
      {RT_OPT_BOOL, 0, "json", &as_json, NULL, "one JSON object per line"},
      RT_OPTION_END,
  };
  int n = rt_parse_options("ps", argc, argv, opts, usage);
  if (n == RT_PARSE_HELP) return 0;
  if (n < 0) return RTCTL_EXIT_USAGE;
  if (n > 0) {
    rtctl_error("ps", "takes no arguments (usage: %s)", usage);
    return RTCTL_EXIT_USAGE;
  }
  char **names;
  size_t count;
  struct ib_error err;
  if (instance_list(&names, &count, &err) < 0) {
    rtctl_error("ps", "%s", err.msg);
    return RTCTL_EXIT_FAILURE;
  }
  int64_t now = time_now_us();
  struct row {
    char name[INSTANCE_NAME_MAX + 1], image[256], status[64], accel[8], pid[16];
  } *rows = calloc(count ? count : 1, sizeof *rows);
  size_t nrows = 0, w_name = 4, w_image = 5, w_status = 6;
  for (size_t i = 0; i < count; i++) {
    struct instance inst;
    if (instance_load(names[i], &inst, &err) < 0) {
      rtctl_error("ps", "%s", err.msg);
      continue;
    }
    enum instance_status st;
    bool stale;
    bool alive = instance_alive(&inst, &st, &stale);
    if (!alive && !all) continue;
    if (as_json) {
      print_json(&inst, st, stale);
      continue;
    }
    struct row *r = &rows[nrows++];
    snprintf(r->name, sizeof r->name, "%s", inst.name);
    snprintf(r->image, sizeof r->image, "%s", inst.image);
    status_text(&inst, st, stale, now, r->status, sizeof r->status);
    snprintf(r->accel, sizeof r->accel, "%s", inst.accel[0] ? inst.accel : "-");
    if (alive && inst.pid) snprintf(r->pid, sizeof r->pid, "%d", (int)inst.pid);
    else snprintf(r->pid, sizeof r->pid, "-");
    if (strlen(r->name) > w_name) w_name = strlen(r->name);
    if (strlen(r->image) > w_image) w_image = strlen(r->image);
    if (strlen(r->status) > w_status) w_status = strlen(r->status);
  }
  if (!as_json) {
    printf("%-*s  %-*s  %-*s  %-5s  %s\n", (int)w_name, "NAME", (int)w_image, "IMAGE", (int)w_status, "STATUS", "ACCEL",
           "PID");
    for (size_t i = 0; i < nrows; i++)
      printf("%-*s  %-*s  %-*s  %-5s  %s\n", (int)w_name, rows[i].name, (int)w_image, rows[i].image, (int)w_status,
             rows[i].status, rows[i].accel, rows[i].pid);
  }
  free(rows);
  instance_names_free(names, count);
  return 0;
}
