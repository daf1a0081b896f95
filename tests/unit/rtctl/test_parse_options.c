#include "check.h"
#include "parse_options.h"
#include "qemu_launch.h"
#include "rtctl.h"

#include <sys/wait.h>

int run_port_spec_valid(const char *spec);

static unsigned mem, cpus;
static bool detach;
static const char *format;
static struct rt_string_list env;

static const struct rt_option opts[] = {
    {RT_OPT_UINT, 'm', "memory", &mem, "MiB", "memory"},
    {RT_OPT_UINT, 0, "cpus", &cpus, "N", "cpus"},
    {RT_OPT_BOOL, 'd', "detach", &detach, NULL, "detach"},
    {RT_OPT_STRING, 0, "format", &format, "F", "format"},
    {RT_OPT_STRING_LIST, 'e', "env", &env, "K=V", "env"},
    RT_OPTION_END,
};

static void reset(void) {
  mem = cpus = 0;
  detach = false;
  format = NULL;
  rt_string_list_free(&env);
}

int main(void) {
  {
    char *argv[] = {"run", "-m", "512", "app", "--cpus=2", "-eA=1", "--env", "B=2", "-d", "--format", "iso", NULL};
    int n = rt_parse_options("run", 11, argv, opts, "u");
    CHECK(n == 1);
    CHECK_STR(argv[0], "app");
    CHECK(mem == 512 && cpus == 2 && detach);
    CHECK_STR(format, "iso");
    CHECK(env.count == 2);
    if (env.count == 2) {
      CHECK_STR(env.v[0], "A=1");
      CHECK_STR(env.v[1], "B=2");
    }
  }
  reset();
  {
    char *argv[] = {"run", "-m512", "--", "-d", "x", NULL};
    int n = rt_parse_options("run", 5, argv, opts, "u");
    CHECK(n == 2 && mem == 512 && !detach);
    CHECK_STR(argv[0], "-d");
  }
  reset();
  char *bad1[] = {"run", "--nope", NULL};
  CHECK(rt_parse_options("run", 2, bad1, opts, "u") == RT_PARSE_ERROR);
  char *bad2[] = {"run", "-m", NULL};
  CHECK(rt_parse_options("run", 2, bad2, opts, "u") == RT_PARSE_ERROR);
  char *bad3[] = {"run", "-m", "12x", NULL};
  CHECK(rt_parse_options("run", 3, bad3, opts, "u") == RT_PARSE_ERROR);
  char *bad4[] = {"run", "-m", "0", NULL};
  CHECK(rt_parse_options("run", 3, bad4, opts, "u") == RT_PARSE_ERROR);
  char *bad5[] = {"run", "--detach=yes", NULL};
  CHECK(rt_parse_options("run", 2, bad5, opts, "u") == RT_PARSE_ERROR);
  char *help[] = {"run", "x", "--help", NULL};
  CHECK(rt_parse_options("run", 3, help, opts, "u") == RT_PARSE_HELP);

  CHECK(run_port_spec_valid("8080:80"));
  CHECK(run_port_spec_valid("53:53/udp"));
  CHECK(run_port_spec_valid("1:65535/tcp"));
  CHECK(!run_port_spec_valid("8080"));
  CHECK(!run_port_spec_valid("0:80"));
  CHECK(!run_port_spec_valid("80:65536"));
  CHECK(!run_port_spec_valid("80:80/sctp"));
  CHECK(!run_port_spec_valid("a:80"));

  /* QEMU's exit status (N << 1) | 1 is the guest's N; anything else is a VM failure. */
  CHECK(qemu_exit_to_app_status(141 << 8, false, "t") == 70);
  CHECK(qemu_exit_to_app_status(1 << 8, false, "t") == 0);
  CHECK(qemu_exit_to_app_status(7 << 8, false, "t") == 3);
  CHECK(qemu_exit_to_app_status(1 << 8, true, "t") == -1);
  CHECK(qemu_exit_to_app_status(0, false, "t") == -1);
  CHECK(qemu_exit_to_app_status(2 << 8, false, "t") == -1);
  CHECK(qemu_exit_to_app_status(9, false, "t") == -1); /* killed by SIGKILL */
  CHECK(rtctl_find_command("build") && !rtctl_find_command("nope"));
  reset();
  return CHECK_DONE();
}
