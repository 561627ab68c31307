#!/usr/bin/env bash
# Cold start and idle memory of a command that serves magnetiq, e.g. from the repository root:
#   bench/cold-start.sh pglite npm start
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/coldstart bench/cold-start.sh postgres npm start
# Starts the command twice on one fresh DATA_DIR (and DATABASE_URL, if set). The first start migrates and seeds;
# the second is the restart that is reported: seconds from the process start until /health/ready answers 200,
# and the CPU seconds its processes used until then, then the resident memory (RSS) of every process of the
# command 10 s after it became ready.
set -euo pipefail
label=$1
shift
dir=$(mktemp -d)
port=$((3900 + RANDOM % 1000))
pid=
trap 'stop; rm -rf "$dir"' EXIT

# Every process of the tree below $1 (the command, npm's shell, the server).
tree() {
  local pid=$1
  echo "$pid"
  for child in $(ps -o pid= --ppid "$pid"); do tree "$child"; done
}

# CPU seconds the tree below $1 has used so far (user + system, with its finished children): unlike the wall
# time, it hardly grows when other work shares the machine.
cpu() {
  local ticks=0 p t
  for p in $(tree "$1"); do
    t=$(sed 's/.*) //' "/proc/$p/stat" 2>/dev/null | awk '{print $12 + $13 + $14 + $15}') || continue
    ticks=$((ticks + ${t:-0}))
  done
  echo "scale=1; $ticks / $(getconf CLK_TCK)" | bc
}

# Starts the command in its own process group (pid), waits for readiness; sets took to the seconds that took
# and used to the CPU seconds.
run() {
  local log=$1
  shift
  local started ready
  started=$(date +%s.%N)
  DATA_DIR=$dir PORT=$port HOST=127.0.0.1 ADMIN_PASSWORD=correct-horse-battery LOG_LEVEL=warn \
    setsid "$@" >"$log" 2>&1 &
  pid=$!
  until curl -sf -o /dev/null "http://127.0.0.1:$port/health/ready"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "$label: the command exited before it was ready:" >&2
      cat "$log" >&2
      exit 1
    fi
    sleep 0.05
  done
  ready=$(date +%s.%N)
  used=$(cpu "$pid")
  took=$(echo "$ready - $started" | bc)
}

# Ends the command's process group (setsid made the command its leader).
stop() {
  [ -n "$pid" ] || return 0
  kill -TERM -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  pid=
}

run "$dir/first.log" "$@"
first=$took
stop
run "$dir/restart.log" "$@"
restart=$took
restart_cpu=$used
sleep 10
total=0
details=""
for p in $(tree "$pid"); do
  rss=$(ps -o rss= -p "$p" | tr -d ' ') || continue
  total=$((total + rss))
  details+="    $((rss / 1024)) MB  $(ps -o args= -p "$p" | cut -c1-80)"$'\n'
done
stop
echo "$label: first start to ready $(printf '%.1f' "$first") s; restart to ready $(printf '%.1f' "$restart") s" \
  "($restart_cpu CPU s);" \
  "idle RSS 10 s after ready $((total / 1024)) MB in all:"
printf '%s' "$details"
