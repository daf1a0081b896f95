# Registry helpers of the e2e tests, sourced after lib.sh: Debian's docker-registry (distribution
# 2.8) on a loopback port, optionally with htpasswd auth, and a fault-injecting proxy in front of it.
# Every process started here is killed on exit, and by a watchdog if the test itself is killed.
REGISTRY_BIN=${REGISTRY_BIN:-/usr/bin/docker-registry}
for tool in "$REGISTRY_BIN" skopeo htpasswd curl python3; do
  command -v "$tool" >/dev/null || fail "$tool is missing (cmake/setup-host.sh installs it)"
done
E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
: > "$WORK/pids"
cleanup() {
  local rc=$? pid f
  while read -r pid; do kill -9 "$pid" 2>/dev/null || true; done < "$WORK/pids"
  if [ $rc != 0 ]; then  # what the servers saw, for the failure's diagnosis
    for f in "$WORK"/*/access.log "$WORK"/*/requests.log; do
      [ -s "$f" ] && { echo "--- last requests in ${f#$WORK/}:"; tail -n 12 "$f" | sed "s/?[^ ]*/?.../" | cut -c1-200; } >&2
    done
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP
# The watchdog: kills what we started if this shell dies without running its EXIT trap (kill -9).
(
  parent=$$
  exec </dev/null >/dev/null 2>&1
  while kill -0 "$parent" 2>/dev/null; do sleep 1; done
  [ -f "$WORK/pids" ] && while read -r pid; do [ "$pid" = $BASHPID ] || kill -9 "$pid" 2>/dev/null; done < "$WORK/pids"
  rm -rf "$WORK"
) &
echo $! >> "$WORK/pids"; disown $!

now_ms() { date +%s%3N; }
# wait_until SECONDS CMD...: polls CMD until it succeeds; fails at the deadline.
wait_until() {
  local end=$(( $(now_ms) + $1 * 1000 )); shift
  until "$@"; do [ "$(now_ms)" -lt $end ] || fail "timed out waiting for: $*"; sleep 0.1; done
}
free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
# http_status URL [curl args...]: the HTTP status code of a GET (000 when nothing answers).
http_status() { local url=$1; shift; curl -s -o /dev/null -w '%{http_code}' "$@" "$url" || true; }

# start_registry NAME [HTPASSWD_FILE]: a registry whose storage, config and logs are under
# $WORK/NAME. Sets REG (127.0.0.1:PORT), REG_PORT, REG_DIR, REG_ACCESS_LOG (stdout: the access log,
# one combined-format line a request) and REG_LOG (stderr: the app log).
start_registry() {
  local name=$1 htpasswd=${2:-} try
  REG_DIR=$WORK/$name
  mkdir -p "$REG_DIR/storage"
  REG_ACCESS_LOG=$REG_DIR/access.log REG_LOG=$REG_DIR/registry.log
  for try in 1 2 3 4 5; do
    REG_PORT=$(free_port)
    REG=127.0.0.1:$REG_PORT
    {
      echo "version: 0.1"
      echo "log: {level: info, accesslog: {disabled: false}, fields: {service: registry}}"
      echo "storage:"
      echo "  filesystem: {rootdirectory: $REG_DIR/storage}"
      echo "  delete: {enabled: true}"
      echo "  maintenance: {uploadpurging: {enabled: false}}"
      echo "http: {addr: '$REG', secret: e2e-$RANDOM$RANDOM, headers: {X-Content-Type-Options: [nosniff]}}"
      if [ -n "$htpasswd" ]; then
        echo "auth: {htpasswd: {realm: runtimejs-e2e, path: $htpasswd}}"
      fi
    } > "$REG_DIR/config.yml"
    : > "$REG_ACCESS_LOG"; : > "$REG_LOG"
    # The package's default config path is never read: the config is the argument.
    "$REGISTRY_BIN" serve "$REG_DIR/config.yml" >"$REG_ACCESS_LOG" 2>"$REG_LOG" </dev/null &
    local pid=$!
    echo $pid >> "$WORK/pids"; disown $pid
    local end=$(( $(now_ms) + 20000 ))
    while kill -0 $pid 2>/dev/null && [ "$(now_ms)" -lt $end ]; do
      case $(http_status "http://$REG/v2/") in 200|401) echo "registry $name on $REG (pid $pid${htpasswd:+, htpasswd auth})"; return 0;; esac
      sleep 0.1
    done
    kill -9 $pid 2>/dev/null || true
    # A port taken between free_port and the registry's bind: try another one.
    grep -q "address already in use" "$REG_LOG" || break
  done
  fail "registry $name did not start: $(tail -n 20 "$REG_LOG")"
}

# start_proxy NAME UPSTREAM [fault_proxy.py options...]: sets PROXY (127.0.0.1:PORT), PROXY_LOG
# (one line a request: METHOD PATH STATUS UP_BYTES DOWN_BYTES [CORRUPTED]) and PROXY_MODE_FILE
# (write pass or corrupt into it to switch modes).
start_proxy() {
  local name=$1 upstream=$2; shift 2
  local dir=$WORK/$name
  mkdir -p "$dir"
  PROXY_LOG=$dir/requests.log PROXY_MODE_FILE=$dir/mode
  python3 "$E2E_DIR/registry/fault_proxy.py" --upstream "$upstream" --port-file "$dir/port" \
    --log "$PROXY_LOG" --mode-file "$PROXY_MODE_FILE" "$@" >"$dir/proxy.out" 2>&1 </dev/null &
  local pid=$!
  echo $pid >> "$WORK/pids"; disown $pid
  local end=$(( $(now_ms) + 20000 ))
  until [ -s "$dir/port" ]; do
    kill -0 $pid 2>/dev/null || fail "proxy $name died: $(cat "$dir/proxy.out")"
    [ "$(now_ms)" -lt $end ] || fail "proxy $name did not start"
    sleep 0.05
  done
  PROXY=127.0.0.1:$(cat "$dir/port")
  echo "proxy $name on $PROXY -> $upstream${*:+ ($(sed 's/--bearer [^ ]*/--bearer <credentials>/' <<<"$*"))}"
}

# new_store NAME: points rtctl at the local store NAME (its own XDG dirs), empty when new.
new_store() {
  export XDG_DATA_HOME=$WORK/stores/$1/data XDG_STATE_HOME=$WORK/stores/$1/state
  mkdir -p "$XDG_DATA_HOME" "$XDG_STATE_HOME"
}

# run_rtctl OUT ERR CMD...: runs rtctl with a timeout; sets RC; never fails by itself.
run_rtctl() {
  local out=$1 err=$2; shift 2
  set +e
  timeout "${RTCTL_TIMEOUT:-180}" "$RTCTL" "$@" >"$out" 2>"$err"; RC=$?
  set -e
}
# must_rtctl ARGS...: runs rtctl, fails the test on a non-zero status; stdout in $OUT, stderr in $ERR.
must_rtctl() {
  run_rtctl "$WORK/out" "$WORK/err" "$@"
  OUT=$(cat "$WORK/out") ERR=$(cat "$WORK/err")
  [ $RC = 0 ] || fail "rtctl $* exited $RC
--- stdout:
$OUT
--- stderr:
$ERR"
}

# manifest_json REG REPO REF [curl args]: the manifest the registry serves (OCI or Docker types).
manifest_json() {
  curl -sf "${@:4}" -H 'Accept: application/vnd.oci.image.manifest.v1+json' \
    -H 'Accept: application/vnd.docker.distribution.manifest.v2+json' "http://$1/v2/$2/manifests/$3"
}
# blob_lines TEXT: rtctl push's blob lines ("exists  sha256:..." / "uploaded sha256:...").
blob_lines() { grep -E '^(exists|uploaded) +sha256:[0-9a-f]{64} \([^)]*\)$' <<<"$1" || true; }
# images_has REF: whether `rtctl images` lists REF (first column, REPO:TAG).
images_has() { "$RTCTL" images | awk '{print $1}' | grep -qxF -- "$1"; }
# make_big_app NAME MIB: an app with a MIB MiB random asset (it lands in the initrd).
make_big_app() {
  (cd "$WORK" && "$RTCTL" new "$1" >/dev/null)
  head -c $(( $2 * 1024 * 1024 )) /dev/urandom > "$WORK/$1/asset.bin"
}
