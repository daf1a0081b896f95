/* The "C" locale, in the shape of glibc's locale objects: libstdc++ (built for glibc's "gnu"
 * locale model) reads the ctype tables straight out of struct __locale_struct, and calls the
 * __*_l functions. Only the "C"/"POSIX" locale exists: asking for another fails with ENOENT,
 * as glibc does for a locale that is not installed. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <wchar.h>

/* glibc's classification bits (little-endian _ISbit). */
enum { IS_UPPER = 0x100, IS_LOWER = 0x200, IS_ALPHA = 0x400, IS_DIGIT = 0x800, IS_XDIGIT = 0x1000,
       IS_SPACE = 0x2000, IS_PRINT = 0x4000, IS_GRAPH = 0x8000, IS_BLANK = 0x1, IS_CNTRL = 0x2,
       IS_PUNCT = 0x4, IS_ALNUM = 0x8 };

struct glibc_locale {
  void *locales[13];
  const unsigned short *ctype_b;
  const int *ctype_tolower;
  const int *ctype_toupper;
  const char *names[13];
};

static unsigned short class_table[384];
static int lower_table[384], upper_table[384];
static const char c_name[] = "C";
static struct glibc_locale c_locale = {
  .ctype_b = class_table + 128, .ctype_tolower = lower_table + 128, .ctype_toupper = upper_table + 128,
  .names = { c_name, c_name, c_name, c_name, c_name, c_name, c_name, c_name, c_name, c_name, c_name, c_name, c_name },
};
static _Thread_local struct glibc_locale *thread_locale;   /* NULL: the global ("C") locale */

static unsigned short classify(int c) {
  unsigned short m = 0;
  if (c >= 'A' && c <= 'Z') m |= IS_UPPER | IS_ALPHA | IS_ALNUM | IS_PRINT | IS_GRAPH;
  if (c >= 'a' && c <= 'z') m |= IS_LOWER | IS_ALPHA | IS_ALNUM | IS_PRINT | IS_GRAPH;
  if (c >= '0' && c <= '9') m |= IS_DIGIT | IS_XDIGIT | IS_ALNUM | IS_PRINT | IS_GRAPH;
  if ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')) m |= IS_XDIGIT;
  if (c == ' ' || (c >= '\t' && c <= '\r')) m |= IS_SPACE;
  if (c == ' ' || c == '\t') m |= IS_BLANK;
  if ((c >= 0 && c < 32) || c == 127) m |= IS_CNTRL;
  if (c == ' ') m |= IS_PRINT;
  if (c > 32 && c < 127 && !(m & IS_ALNUM)) m |= IS_PUNCT | IS_PRINT | IS_GRAPH;
  return m;
}

__attribute__((constructor(101))) static void c_locale_init(void) {
  for (int i = 0; i < 384; i++) {
    int c = i - 128;
    class_table[i] = c >= 0 && c < 128 ? classify(c) : 0;
    lower_table[i] = c >= 'A' && c <= 'Z' ? c + 32 : c;
    upper_table[i] = c >= 'a' && c <= 'z' ? c - 32 : c;
  }
}

static const unsigned short *class_ptr = class_table + 128;
static const int *lower_ptr = lower_table + 128, *upper_ptr = upper_table + 128;
const unsigned short **__ctype_b_loc(void) { return &class_ptr; }
const int **__ctype_tolower_loc(void) { return &lower_ptr; }
const int **__ctype_toupper_loc(void) { return &upper_ptr; }

static int is_c_name(const char *name) { return !*name || !strcmp(name, "C") || !strcmp(name, "POSIX"); }

struct glibc_locale *__newlocale(int mask, const char *name, struct glibc_locale *base) {
  (void)mask; (void)base;
  if (!is_c_name(name)) { errno = ENOENT; return 0; }
  return &c_locale;
}
struct glibc_locale *glibc_newlocale(int mask, const char *name, struct glibc_locale *base) { return __newlocale(mask, name, base); }
struct glibc_locale *__duplocale(struct glibc_locale *l) { return l; }
struct glibc_locale *glibc_duplocale(struct glibc_locale *l) { return l; }
void __freelocale(struct glibc_locale *l) { (void)l; }
void glibc_freelocale(struct glibc_locale *l) { (void)l; }

/* glibc_uselocale(0) queries; (locale_t)-1 is LC_GLOBAL_LOCALE. */
struct glibc_locale *__uselocale(struct glibc_locale *l) {
  struct glibc_locale *old = thread_locale ? thread_locale : (struct glibc_locale *)-1;
  if (l) thread_locale = l == (struct glibc_locale *)-1 ? 0 : l;
  return old;
}
struct glibc_locale *glibc_uselocale(struct glibc_locale *l) { return __uselocale(l); }

char *glibc_setlocale(int category, const char *name) {
  (void)category;
  if (name && !is_c_name(name)) return 0;
  return (char *)c_name;
}

/* nl_langinfo items are (category << 16) | index; LC_NUMERIC is 1, LC_CTYPE 0, LC_TIME 2. */
char *__nl_langinfo_l(int item, struct glibc_locale *l) {
  (void)l;
  switch (item) {
  case 0x10000: return (char *)".";        /* RADIXCHAR */
  case 0x10001: return (char *)"";         /* THOUSEP */
  case 0x0000e: return (char *)"ANSI_X3.4-1968";   /* CODESET */
  default: return (char *)"";
  }
}
char *glibc_nl_langinfo(int item) { return __nl_langinfo_l(item, 0); }

size_t __ctype_get_mb_cur_max(void) { return 1; }

int __strcoll_l(const char *a, const char *b, struct glibc_locale *l) { (void)l; return strcmp(a, b); }
size_t __strxfrm_l(char *d, const char *s, size_t n, struct glibc_locale *l) { (void)l; return strxfrm(d, s, n); }
size_t __strftime_l(char *s, size_t max, const char *fmt, const struct tm *tm, struct glibc_locale *l) {
  (void)l;
  return strftime(s, max, fmt, tm);   /* reads the fields glibc and newlib share */
}
int __wcscoll_l(const wchar_t *a, const wchar_t *b, struct glibc_locale *l) { (void)l; return wcscmp(a, b); }
size_t __wcsxfrm_l(wchar_t *d, const wchar_t *s, size_t n, struct glibc_locale *l) { (void)l; return wcsxfrm(d, s, n); }
size_t __wcsftime_l(wchar_t *s, size_t max, const wchar_t *fmt, const struct tm *tm, struct glibc_locale *l) {
  (void)l;
  return wcsftime(s, max, fmt, tm);
}
double __strtod_l(const char *s, char **end, struct glibc_locale *l) { (void)l; return strtod(s, end); }
float __strtof_l(const char *s, char **end, struct glibc_locale *l) { (void)l; return strtof(s, end); }
long double __strtold_l(const char *s, char **end, struct glibc_locale *l) { (void)l; return strtold(s, end); }

/* Wide characters: the C locale's character set is ASCII. */
static const char *const class_names[] = { "upper", "lower", "alpha", "digit", "xdigit", "space",
                                           "print", "graph", "blank", "cntrl", "punct", "alnum" };
static const unsigned short class_masks[] = { IS_UPPER, IS_LOWER, IS_ALPHA, IS_DIGIT, IS_XDIGIT, IS_SPACE,
                                              IS_PRINT, IS_GRAPH, IS_BLANK, IS_CNTRL, IS_PUNCT, IS_ALNUM };
unsigned long __wctype_l(const char *name, struct glibc_locale *l) {
  (void)l;
  for (unsigned i = 0; i < sizeof class_names / sizeof *class_names; i++)
    if (!strcmp(name, class_names[i])) return class_masks[i];
  return 0;
}
int __iswctype_l(wint_t wc, unsigned long desc, struct glibc_locale *l) {
  (void)l;
  return wc < 128 ? (class_table[wc + 128] & desc) != 0 : 0;
}
wint_t __towupper_l(wint_t wc, struct glibc_locale *l) { (void)l; return wc < 128 ? (wint_t)upper_table[wc + 128] : wc; }
wint_t __towlower_l(wint_t wc, struct glibc_locale *l) { (void)l; return wc < 128 ? (wint_t)lower_table[wc + 128] : wc; }

/* Messages are not translated. */
char *gettext(const char *msgid) { return (char *)msgid; }
char *dgettext(const char *domain, const char *msgid) { (void)domain; return (char *)msgid; }
char *bindtextdomain(const char *domain, const char *dir) { (void)domain; return (char *)dir; }
char *bind_textdomain_codeset(const char *domain, const char *codeset) { (void)domain; return (char *)codeset; }
