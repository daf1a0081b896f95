/* The WWW-Authenticate parser: schemes, params, quoting, escapes, several challenges. */
#include "check.h"
#include "www_authenticate.h"

int main(void) {
  struct reg_challenges cs;
  struct ib_error err;

  CHECK_EQ(reg_www_authenticate_parse(
               "Bearer realm=\"https://auth.example/token\",service=\"registry.example\",scope=\"repository:demo/a:pull,push\"",
               &cs, &err), 0);
  CHECK_EQ(cs.count, 1);
  CHECK_STR(cs.v[0].scheme, "Bearer");
  CHECK_EQ(cs.v[0].count, 3);
  CHECK_STR(reg_challenge_param(&cs.v[0], "realm"), "https://auth.example/token");
  CHECK_STR(reg_challenge_param(&cs.v[0], "SERVICE"), "registry.example");
  CHECK_STR(reg_challenge_param(&cs.v[0], "scope"), "repository:demo/a:pull,push");
  CHECK(reg_challenge_param(&cs.v[0], "error") == NULL);
  reg_challenges_free(&cs);

  /* Two challenges, tokens and quoted values, spaces around '=' and commas. */
  CHECK_EQ(reg_www_authenticate_parse("Basic realm=\"my \\\"reg\\\" \\\\ here\" , bearer Realm = tok, charset=UTF-8",
                                      &cs, &err), 0);
  CHECK_EQ(cs.count, 2);
  CHECK_STR(cs.v[0].scheme, "Basic");
  CHECK_STR(reg_challenge_param(&cs.v[0], "realm"), "my \"reg\" \\ here");
  CHECK_STR(cs.v[1].scheme, "bearer");
  CHECK(reg_challenge_find(&cs, "BEARER") == &cs.v[1]);
  CHECK_STR(reg_challenge_param(&cs.v[1], "realm"), "tok");
  CHECK_STR(reg_challenge_param(&cs.v[1], "charset"), "UTF-8");
  CHECK_STR(cs.v[1].params[0].name, "realm"); /* names lowercased */
  reg_challenges_free(&cs);

  /* A scheme alone, then another; a token68. */
  CHECK_EQ(reg_www_authenticate_parse("Negotiate, Basic realm=\"r\"", &cs, &err), 0);
  CHECK_EQ(cs.count, 2);
  CHECK_EQ(cs.v[0].count, 0);
  CHECK_STR(reg_challenge_param(&cs.v[1], "realm"), "r");
  reg_challenges_free(&cs);
  CHECK_EQ(reg_www_authenticate_parse("Negotiate YWJj==, Basic realm=r", &cs, &err), 0);
  CHECK_EQ(cs.count, 2);
  CHECK_STR(reg_challenge_param(&cs.v[0], ""), "YWJj==");
  CHECK_STR(reg_challenge_param(&cs.v[1], "realm"), "r");
  reg_challenges_free(&cs);

  /* Empty quoted string; an error param. */
  CHECK_EQ(reg_www_authenticate_parse("Bearer realm=\"\",error=\"insufficient_scope\"", &cs, &err), 0);
  CHECK_STR(reg_challenge_param(&cs.v[0], "realm"), "");
  CHECK_STR(reg_challenge_param(&cs.v[0], "error"), "insufficient_scope");
  reg_challenges_free(&cs);

  CHECK_EQ(reg_www_authenticate_parse("Bearer realm=\"unterminated", &cs, &err), -22);
  CHECK_CONTAINS(err.msg, "unterminated quoted string");
  CHECK_EQ(reg_www_authenticate_parse("", &cs, &err), -22);
  CHECK_CONTAINS(err.msg, "no challenge");
  CHECK_EQ(reg_www_authenticate_parse(NULL, &cs, &err), -22);
  CHECK_EQ(reg_www_authenticate_parse("Bearer realm=", &cs, &err), -22);
  CHECK_CONTAINS(err.msg, "has no value");
  CHECK_EQ(reg_www_authenticate_parse("Bearer realm=\"a\" junk", &cs, &err), -22);
  CHECK_CONTAINS(err.msg, "after a parameter");
  CHECK_EQ(reg_www_authenticate_parse("=x", &cs, &err), -22);
  CHECK_CONTAINS(err.msg, "where a scheme should be");
  CHECK_EQ(reg_www_authenticate_parse("Bearer\"x\"", &cs, &err), -22);
  return CHECK_DONE();
}
