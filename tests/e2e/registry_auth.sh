#!/usr/bin/env bash
# Registry auth (docker-registry with htpasswd, Basic auth):
# - push without credentials fails with a message that names `rtctl login`, and pushes nothing;
# - login with a wrong password fails ("unauthorized" or "wrong user name or password") and stores
#   nothing; with the right one it stores {"auths": {"127.0.0.1:PORT": {"auth": base64(user:pass)}}}
#   in ~/.docker/config.json (not readable by others) and keeps the file's other entries;
# - push and pull then work; credentials written by hand in $DOCKER_CONFIG/config.json (the way the
#   Docker CLI keeps them) are read too;
# - credentials go to the registry's own origin only: an upload whose Location (the 202 to the
#   POST) points at another origin (a second proxy in front of the same registry) gets no
#   Authorization there, and the push fails on one line, creating no tag; a blob redirected (307)
#   to another origin that answers 401 with a Bearer challenge gets no credentials either (nothing
#   with Authorization reaches it, its /token included) and the pull fails clearly;
# - logout removes the entry, and pushing fails again;
# - the Bearer token flow (the test's proxy as a token-auth registry): the same, and the token
#   asked for carries the push scope;
# - the password (and its base64 form) never appears in rtctl's output, nor in its store and state.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/registry_lib.sh"
export RUNTIMEJS_KERNEL=$WORK/kernel.elf
printf 'stand-in kernel' > "$RUNTIMEJS_KERNEL"
PASS="pw-$RANDOM-$RANDOM-$(date +%N)"
AUTH64=$(printf 'u:%s' "$PASS" | base64 -w0)
htpasswd -Bbn u "$PASS" > "$WORK/htpasswd" 2>/dev/null
start_registry reg "$WORK/htpasswd"
[ "$(http_status "http://$REG/v2/")" = 401 ] || fail "registry without credentials did not answer 401"
[ "$(http_status "http://$REG/v2/" -u "u:$PASS")" = 200 ] || fail "registry with credentials did not answer 200"
unset DOCKER_CONFIG
CONFIG=$HOME/.docker/config.json
ALL_OUTPUT=$WORK/all-output
: > "$ALL_OUTPUT"
# Every rtctl run's output is kept, to look for the password at the end.
keep() { cat "$WORK/out" "$WORK/err" >> "$ALL_OUTPUT"; }
# auth_entry FILE REGISTRY: the "auth" value stored for REGISTRY, empty when none.
auth_entry() {
  [ -f "$1" ] || return 0
  python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("auths", {}).get(sys.argv[2], {}).get("auth", ""))' "$1" "$2"
}

new_store a
cd "$WORK" && "$RTCTL" new hello >/dev/null
must_rtctl build hello
built=$(digest_of "$OUT")

# No credentials.
run_rtctl "$WORK/out" "$WORK/err" push hello "$REG/demo/hello:v1"; keep
[ $RC != 0 ] || fail "push without credentials succeeded: $(cat "$WORK/out")"
contains "$(cat "$WORK/out" "$WORK/err")" "rtctl login"
[ "$(http_status "http://$REG/v2/demo/hello/manifests/v1" -u "u:$PASS")" = 404 ] || fail "a manifest got in without credentials"
echo "push without login: exit $RC: $(grep -m1 'rtctl login' "$WORK/err" "$WORK/out" | cut -d: -f2-)"

# A wrong password: failure, nothing stored. An existing config's other entries must survive.
mkdir -p "$HOME/.docker"
echo '{"auths":{"other.example:5000":{"auth":"b3RoZXI6b3RoZXI="}},"detachKeys":"ctrl-p,q"}' > "$CONFIG"
set +e
echo "wrong-$PASS" | timeout 60 "$RTCTL" login -u u --password-stdin "$REG" >"$WORK/out" 2>"$WORK/err"; RC=$?
set -e; keep
[ $RC != 0 ] || fail "login with a wrong password succeeded: $(cat "$WORK/out" "$WORK/err")"
all=$(cat "$WORK/out" "$WORK/err")
grep -qiE 'unauthorized|wrong user name or password' <<<"$all" || fail "wrong password: unclear message: $all"
[ -z "$(auth_entry "$CONFIG" "$REG")" ] || fail "a failed login stored credentials: $(cat "$CONFIG")"
echo "login with a wrong password: exit $RC: $(head -n 1 <<<"$all")"

# The right password.
set +e
echo "$PASS" | timeout 60 "$RTCTL" login -u u --password-stdin "$REG" >"$WORK/out" 2>"$WORK/err"; RC=$?
set -e; keep
[ $RC = 0 ] || fail "login: exit $RC: $(cat "$WORK/out" "$WORK/err")"
[ "$(auth_entry "$CONFIG" "$REG")" = "$AUTH64" ] || fail "config.json does not hold base64(u:password) under auths[\"$REG\"]: $(sed "s/$AUTH64/<the right value>/" "$CONFIG")"
[ "$(auth_entry "$CONFIG" other.example:5000)" = b3RoZXI6b3RoZXI= ] || fail "login dropped another registry's entry: $(cat "$CONFIG")"
grep -q '"detachKeys"' "$CONFIG" || fail "login dropped the file's other settings"
[ $(( 0$(stat -c %a "$CONFIG") & 044 )) = 0 ] || fail "config.json is readable by others: mode $(stat -c %a "$CONFIG")"
echo "login: stored auths[\"$REG\"] = base64(u:<password>) in ~/.docker/config.json (mode $(stat -c %a "$CONFIG"))"

run_rtctl "$WORK/out" "$WORK/err" push hello "$REG/demo/hello:v1"; keep
[ $RC = 0 ] || fail "push after login: exit $RC: $(cat "$WORK/out" "$WORK/err")"
[ "$(tail -n 1 "$WORK/out")" = "pushed $REG/demo/hello:v1 $built" ] || fail "push after login: $(cat "$WORK/out")"
new_store b
run_rtctl "$WORK/out" "$WORK/err" pull "$REG/demo/hello:v1"; keep
[ $RC = 0 ] || fail "pull after login: exit $RC: $(cat "$WORK/out" "$WORK/err")"
[ "$(tail -n 1 "$WORK/out")" = "pulled $REG/demo/hello:v1 $built" ] || fail "pull after login: $(cat "$WORK/out")"
echo "push and pull after login: $built"

# Credentials go to the registry's own origin only. Proxies in front of the htpasswd registry:
# fa hands uploads over to fb (the Location of the POST's 202 names fb); ra redirects blobs to cb,
# which answers them 401 with WWW-Authenticate: Bearer realm="http://CB/token". Credentials are
# stored for fa and ra only; every proxy logs whether a request carried Authorization (AUTH).
start_proxy fb "$REG"; FB=$PROXY FB_LOG=$PROXY_LOG
start_proxy fa "$REG" --foreign-uploads "$FB"; FA=$PROXY FA_LOG=$PROXY_LOG
start_proxy cb "$REG" --challenge-blobs; CB=$PROXY CB_LOG=$PROXY_LOG
start_proxy ra "$REG" --redirect-blobs --redirect-to "$CB"; RA=$PROXY RA_LOG=$PROXY_LOG
mkdir -p "$WORK/docker-config-proxies"
printf '{"auths": {"%s": {"auth": "%s"}, "%s": {"auth": "%s"}}}' "$FA" "$AUTH64" "$RA" "$AUTH64" > "$WORK/docker-config-proxies/config.json"
new_store a
DOCKER_CONFIG=$WORK/docker-config-proxies run_rtctl "$WORK/out" "$WORK/err" push hello "$FA/demo/foreign:v1"; keep
grep -q ' AUTH$' "$FA_LOG" || fail "foreign upload: no request to the registry's own origin carried credentials: $(cat "$FA_LOG")"
grep -q '^POST /v2/demo/foreign/blobs/uploads/ 202 .* FOREIGN' "$FA_LOG" || fail "foreign upload: no upload was handed over: $(cat "$FA_LOG")"
grep -qE '^(PATCH|PUT) /v2/demo/foreign/blobs/uploads/' "$FB_LOG" || fail "foreign upload: nothing reached the other origin: $(cat "$FB_LOG")"
! grep -q ' AUTH$' "$FB_LOG" ||
  fail "foreign upload: credentials were sent to another origin: $(grep ' AUTH$' "$FB_LOG" | sed 's/?[^ ]*/?.../')"
if [ $RC = 0 ]; then
  [ "$(tail -n 1 "$WORK/out")" = "pushed $FA/demo/foreign:v1 $built" ] || fail "foreign upload: push: $(cat "$WORK/out")"
  echo "foreign upload: pushed without credentials on the other origin"
else
  [ "$(grep -c . "$WORK/err")" = 1 ] && grep -qiE 'another host .* asked for credentials' "$WORK/err" || fail "foreign upload: the failure is not one clear line: $(cat "$WORK/err")"
  [ "$(http_status "http://$REG/v2/demo/foreign/manifests/v1" -u "u:$PASS")" = 404 ] || fail "foreign upload: a failed push left a tag"
  echo "foreign upload: $(grep -c . "$FB_LOG") request(s) at the other origin, none with Authorization; push exit $RC: $(cat "$WORK/err")"
fi
new_store f
DOCKER_CONFIG=$WORK/docker-config-proxies run_rtctl "$WORK/out" "$WORK/err" pull "$RA/demo/hello:v1"; keep
grep -q ' REDIRECTED' "$RA_LOG" || fail "redirect challenge: no blob was redirected: $(cat "$RA_LOG")"
grep -q ' CHALLENGED' "$CB_LOG" || fail "redirect challenge: the redirect target challenged nothing: $(cat "$CB_LOG")"
! grep -q ' AUTH$' "$CB_LOG" ||
  fail "redirect challenge: credentials were sent to the redirect target: $(grep ' AUTH$' "$CB_LOG" | sed 's/?[^ ]*/?.../')"
[ $RC != 0 ] || fail "redirect challenge: the pull succeeded: $(cat "$WORK/out")"
[ "$(grep -c . "$WORK/err")" = 1 ] && grep -qiE 'another host .* asked for credentials' "$WORK/err" || fail "redirect challenge: unclear failure: $(cat "$WORK/err")"
images_has "$RA/demo/hello:v1" && fail "redirect challenge: the failed pull is listed"
echo "redirect target's Bearer challenge: $(grep -c . "$CB_LOG") request(s) there ($(grep -c '^TOKEN' "$CB_LOG" || true) to its /token), none with Authorization; pull exit $RC: $(cat "$WORK/err")"

# Credentials the Docker CLI wrote, in $DOCKER_CONFIG: read without rtctl login.
mkdir -p "$WORK/docker-config"
printf '{\n\t"auths": {\n\t\t"%s": {\n\t\t\t"auth": "%s"\n\t\t}\n\t}\n}' "$REG" "$AUTH64" > "$WORK/docker-config/config.json"
mv "$CONFIG" "$WORK/home-config.json"
new_store c
DOCKER_CONFIG=$WORK/docker-config run_rtctl "$WORK/out" "$WORK/err" pull "$REG/demo/hello:v1"; keep
[ $RC = 0 ] || fail "pull with credentials in \$DOCKER_CONFIG: exit $RC: $(cat "$WORK/out" "$WORK/err")"
[ "$(digest_of "$(tail -n 1 "$WORK/out")")" = "$built" ] || fail "pull with \$DOCKER_CONFIG: $(cat "$WORK/out")"
echo "pull with credentials from \$DOCKER_CONFIG/config.json: ok"
mv "$WORK/home-config.json" "$CONFIG"

# logout.
new_store a   # back to the store that has hello
run_rtctl "$WORK/out" "$WORK/err" logout "$REG"; keep
[ $RC = 0 ] || fail "logout: exit $RC: $(cat "$WORK/out" "$WORK/err")"
[ -z "$(auth_entry "$CONFIG" "$REG")" ] || fail "logout left the entry: $(cat "$CONFIG")"
[ "$(auth_entry "$CONFIG" other.example:5000)" = b3RoZXI6b3RoZXI= ] || fail "logout dropped another registry's entry"
run_rtctl "$WORK/out" "$WORK/err" push hello:latest "$REG/demo/hello:v2"; keep
[ $RC != 0 ] || fail "push after logout succeeded"
contains "$(cat "$WORK/out" "$WORK/err")" "rtctl login"
echo "logout: entry removed, push fails again"

# The Bearer token flow: the proxy is a token-auth registry (401 + WWW-Authenticate: Bearer
# realm=".../token",service=...,scope=...) in front of an open one; /token wants Basic u:PASS.
start_registry open
start_proxy token "$REG" --bearer "u:$PASS" --tokens-file "$WORK/tokens"
run_rtctl "$WORK/out" "$WORK/err" push hello "$PROXY/demo/hello:v1"; keep
[ $RC != 0 ] || fail "bearer: push without credentials succeeded: $(cat "$WORK/out")"
contains "$(cat "$WORK/out" "$WORK/err")" "rtctl login"
set +e
echo "wrong-$PASS" | timeout 60 "$RTCTL" login -u u --password-stdin "$PROXY" >"$WORK/out" 2>"$WORK/err"; RC=$?
set -e; keep
[ $RC != 0 ] || fail "bearer: login with a wrong password succeeded"
grep -qiE 'unauthorized|wrong user name or password' "$WORK/out" "$WORK/err" || fail "bearer: wrong password: $(cat "$WORK/out" "$WORK/err")"
[ -z "$(auth_entry "$CONFIG" "$PROXY")" ] || fail "bearer: a failed login stored credentials"
set +e
echo "$PASS" | timeout 60 "$RTCTL" login -u u --password-stdin "$PROXY" >"$WORK/out" 2>"$WORK/err"; RC=$?
set -e; keep
[ $RC = 0 ] || fail "bearer: login: exit $RC: $(cat "$WORK/out" "$WORK/err")"
[ "$(auth_entry "$CONFIG" "$PROXY")" = "$AUTH64" ] || fail "bearer: login stored no credentials for $PROXY"
run_rtctl "$WORK/out" "$WORK/err" push hello "$PROXY/demo/hello:v1"; keep
[ $RC = 0 ] || fail "bearer: push: exit $RC: $(cat "$WORK/out" "$WORK/err")"
[ "$(tail -n 1 "$WORK/out")" = "pushed $PROXY/demo/hello:v1 $built" ] || fail "bearer: push: $(cat "$WORK/out")"
grep -qE '^TOKEN .*repository:demo/hello:[a-z,]*push.* 200( AUTH)?$' "$PROXY_LOG" ||
  fail "bearer: no push token was asked for: $(grep '^TOKEN' "$PROXY_LOG")"
new_store e
run_rtctl "$WORK/out" "$WORK/err" pull "$PROXY/demo/hello:v1"; keep
[ $RC = 0 ] || fail "bearer: pull: exit $RC: $(cat "$WORK/out" "$WORK/err")"
[ "$(tail -n 1 "$WORK/out")" = "pulled $PROXY/demo/hello:v1 $built" ] || fail "bearer: pull: $(cat "$WORK/out")"
echo "bearer token flow: no login -> 'rtctl login', wrong password refused, then push and pull work ($(grep -cE '^TOKEN .* 200( AUTH)?$' "$PROXY_LOG") tokens issued)"

# The password, and the tokens, never show.
for secret in "$PASS" "$AUTH64" $(cat "$WORK/tokens" 2>/dev/null); do
  grep -qF -- "$secret" "$ALL_OUTPUT" && fail "rtctl printed the credentials: $(grep -F -- "$secret" "$ALL_OUTPUT" | head -n 3)"
  grep -rqF -- "$secret" "$WORK/stores" && fail "the credentials are in the store or state: $(grep -rlF -- "$secret" "$WORK/stores")"
done
echo "the password and tokens appear in no output ($(wc -l < "$ALL_OUTPUT") lines) and no store or state file"
echo "PASS"
