#!/usr/bin/env bash
# Ingress proxy benchmark: knet's IngressProxy vs nginx as a reverse proxy, same backend, same run.
#
# Needs: nginx (Debian nginx-light is enough), wrk, hey, curl, a JDK >= 25 and Maven, and the knet
# modules installed in the local repository (mvn install -DskipTests at the root). Everything
# listens on 127.0.0.1 only; every server this script starts is stopped on exit.
#
# Usage: bench/ingress/run.sh [options]
#   -l SECONDS   length of every measured run (15)       -R ROUNDS   rounds per proxy (2)
#   -r RPS       fixed rate of the CPU/latency run (2000) -c CONNS    hey workers of that run (20)
#   -C CONNS     wrk connections of the max run (64)      -T THREADS  wrk threads (2)
#   -t N         knet event-loop threads = nginx worker_processes (1)
#   -w SECONDS   least knet JIT warm-up at full load (20)      -A          access log on for both proxies
#   -p PORT      first of three loopback ports (28080)    -k          keep the work directory
#   -J           record a JFR profile of knet during the rounds (implies -k)
#   KNET_JVM_OPTS overrides knet's JVM flags (default below, in start_knet).
#
# Topology: backend = a separate nginx serving a static "ok" (2 workers, so it is nobody's
# bottleneck); proxy nginx and knet both forward Host bench.knet.test, path / to it over
# kept-alive HTTP/1.1 upstream connections and add X-Forwarded-For/Proto/Host.
# Method: both proxies are started and checked with curl, warmed up (knet in 10 s wrk runs until
# its rate settles: JIT; nginx 3 s; then each one unmeasured fixed-rate run), then
# measured in interleaved rounds so background load hits them alike. Fixed-rate run: hey -q at
# RPS/CONNS per worker for -l seconds; CPU is utime+stime from /proc/PID/stat (nginx: master and
# workers summed, knet: the whole JVM) across the run, as % of one core per 1,000 rps achieved;
# p50/p99 are exact percentiles of hey's per-request times (-o csv, 0.1 ms resolution).
# Max run: wrk -tT -cC --latency for -l seconds. RSS: VmRSS summed over the proxy's processes
# right after its last max run (peak for the JVM: VmHWM). The table shows medians over rounds.
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
BENCH="$(cd "$HERE/.." && pwd)"
. "$BENCH/../scripts/find-java.sh"

DURATION=15 ROUNDS=2 RATE=2000 HEY_CONNS=20 WRK_CONNS=64 WRK_THREADS=2 THREADS=1 WARMUP=20
ACCESS_LOG=0 PORT=28080 KEEP=0 JFR=0
while getopts "l:R:r:c:C:T:t:w:Ap:kJh" opt; do
  case $opt in
    l) DURATION=$OPTARG ;; R) ROUNDS=$OPTARG ;; r) RATE=$OPTARG ;; c) HEY_CONNS=$OPTARG ;;
    C) WRK_CONNS=$OPTARG ;; T) WRK_THREADS=$OPTARG ;; t) THREADS=$OPTARG ;; w) WARMUP=$OPTARG ;;
    A) ACCESS_LOG=1 ;; p) PORT=$OPTARG ;; k) KEEP=1 ;; J) JFR=1; KEEP=1 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
  esac
done
for tool in nginx wrk hey curl; do
  command -v "$tool" >/dev/null || { echo "missing $tool (see the top of $0)" >&2; exit 1; }
done
knet_find_java
knet_require_maven

HOST=bench.knet.test
WORK=$(mktemp -d /tmp/knet-ingress-bench.XXXXXX)
declare -A PID=()
cleanup() {
  for s in "${!PID[@]}"; do kill "${PID[$s]}" 2>/dev/null || true; done
  for s in "${!PID[@]}"; do wait "${PID[$s]}" 2>/dev/null || true; done
  if [ "$KEEP" = 1 ]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(cd "$BENCH" && mvn -q -o -B package -DskipTests >/dev/null 2>&1) || { echo "bench build failed" >&2; exit 1; }
CP="$BENCH/target/classes:$(cat "$BENCH/target/classpath.txt")"

BACKEND_PORT=$PORT NGINX_PORT=$((PORT + 1)) KNET_PORT=$((PORT + 2))
PROXIES=(nginx knet)
declare -A PORTOF=([nginx]=$NGINX_PORT [knet]=$KNET_PORT)

nginx_conf() { # name workers body: a foreground nginx whose files all live in $WORK/name
  local dir="$WORK/$1"; mkdir -p "$dir"
  cat >"$dir/nginx.conf" <<EOF
worker_processes $2;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path $dir/body; proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi; uwsgi_temp_path $dir/uwsgi; scgi_temp_path $dir/scgi;
  keepalive_requests 1000000;
$3
}
EOF
}
start_nginx_named() { # name
  nginx -p "$WORK/$1" -c "$WORK/$1/nginx.conf" -e "$WORK/$1/error.log" >"$WORK/$1.log" 2>&1 &
  PID[$1]=$!
}
start_backend() {
  nginx_conf backend 2 "  access_log off;
  server { listen 127.0.0.1:$BACKEND_PORT; location / { default_type text/plain; return 200 'ok'; } }"
  start_nginx_named backend
}
start_nginx() {
  local log="access_log off;"
  [ "$ACCESS_LOG" = 1 ] && log="access_log $WORK/nginx/access.log combined buffer=64k flush=1s;"
  nginx_conf nginx "$THREADS" "  $log
  upstream echo { server 127.0.0.1:$BACKEND_PORT; keepalive 128; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    server_name $HOST;
    location / {
      proxy_pass http://echo;
      proxy_http_version 1.1;
      proxy_set_header Connection \"\";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
      proxy_set_header X-Forwarded-Host \$host;
    }
  }"
  start_nginx_named nginx
}
start_knet() {
  # Server flags: C2 on, a modest fixed heap like a proxy container would get, the serial
  # collector (one event loop: no parallel GC threads to feed), and Netty's buffer leak detector
  # off as in production (its default samples one buffer in 128 and walks the stack for each, a
  # debugging aid that tests turn up to paranoid instead), and sun.misc.Unsafe memory access
  # allowed: on Java 25 Netty leaves Unsafe unused unless the JVM allows it, and its buffers then
  # go through bounds-checked ByteBuffer calls; logback config by -A.
  local jvm=(${KNET_JVM_OPTS:--Xms256m -Xmx256m -XX:+UseSerialGC -Dio.netty.leakDetection.level=disabled
             --sun-misc-unsafe-memory-access=allow})
  [ "$JFR" = 1 ] && jvm+=("-XX:StartFlightRecording=filename=$WORK/knet.jfr,settings=profile,dumponexit=true,delay=${WARMUP}s")
  local logconf="$HERE/logback-quiet.xml"
  [ "$ACCESS_LOG" = 1 ] && logconf="$HERE/logback-access.xml"
  "$JAVA_HOME/bin/java" "${jvm[@]}" --enable-native-access=ALL-UNNAMED \
    -Dlogback.configurationFile="$logconf" -Dbench.work="$WORK" -cp "$CP" \
    dev.knet.bench.ingress.IngressProxyBench "127.0.0.1:$KNET_PORT" "127.0.0.1:$BACKEND_PORT" "$THREADS" \
    >"$WORK/knet.log" 2>&1 &
  PID[knet]=$!
}

wait_ready() { # name port host: until GET / answers "ok", at most 60 s
  local i
  for i in $(seq 120); do
    kill -0 "${PID[$1]}" 2>/dev/null || { echo "$1 exited:" >&2; cat "$WORK/$1.log" "$WORK/$1/error.log" 2>/dev/null >&2; exit 1; }
    if [ "$(curl -s -m 2 -H "Host: $3" "http://127.0.0.1:$2/" 2>/dev/null)" = ok ]; then return 0; fi
    sleep 0.5
  done
  echo "$1 did not answer on 127.0.0.1:$2" >&2; exit 1
}

pids_of() { # proxy: its process and (nginx) its workers
  echo "${PID[$1]}"; pgrep -P "${PID[$1]}" || true
}
cpu_ticks() { # proxy: utime + stime (fields 14, 15 after the "(comm)" field) over its processes
  local p t=0
  for p in $(pids_of "$1"); do
    t=$((t + $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$p/stat")))
  done
  echo "$t"
}
rss_kb() { # proxy: VmRSS summed over its processes; the JVM's peak (VmHWM) after it
  local p t=0
  for p in $(pids_of "$1"); do t=$((t + $(awk '/^VmRSS/ { print $2 }' "/proc/$p/status"))); done
  if [ "$1" = knet ]; then echo "$t $(awk '/^VmHWM/ { print $2 }' "/proc/${PID[knet]}/status")"; else echo "$t $t"; fi
}

wrk_run() { # proxy seconds: wrk's report
  wrk -t"$WRK_THREADS" -c"$WRK_CONNS" -d"$2s" --latency -H "Host: $HOST" "http://127.0.0.1:${PORTOF[$1]}/" 2>&1
}

fixed() { # proxy round: appends "cpu_per_1k p50_ms p99_ms rps non200" to $WORK/$s.fixed
  local s=$1 before after per
  per=$(awk -v r="$RATE" -v c="$HEY_CONNS" 'BEGIN { printf "%g", r / c }')
  before=$(cpu_ticks "$s")
  hey -z "${DURATION}s" -c "$HEY_CONNS" -q "$per" -host "$HOST" -o csv "http://127.0.0.1:${PORTOF[$s]}/" \
    >"$WORK/$s.fixed$2.csv" 2>&1
  after=$(cpu_ticks "$s")
  # csv: response-time,DNS+dialup,DNS,Request-write,Response-delay,Response-read,status-code,offset
  awk -F, 'NR > 1 && $1 ~ /^[0-9.]+$/ { print $1, ($7 == 200) ? 0 : 1 }' "$WORK/$s.fixed$2.csv" | sort -g |
    awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" -v d="$DURATION" '
    { n++; lat[n] = $1; bad += $2 }
    END { rps = n / d
          printf "%.2f %.2f %.2f %.0f %d\n", (t / hz / d * 100) / (rps / 1000),
                 lat[int(n * 0.50)] * 1000, lat[int(n * 0.99)] * 1000, rps, bad }' | tee -a "$WORK/$s.fixed" | {
      read -r c p50 p99 rps bad
      printf '  round %s %-6s fixed %5s rps  cpu %5s %%core/1k rps  p50 %s ms  p99 %s ms  non-200 %s\n' \
        "$2" "$s" "$rps" "$c" "$p50" "$p99" "$bad"; }
}

maxrun() { # proxy round: appends "rps errors p99" to $WORK/$s.max
  local s=$1 report rps errs p99
  report=$(wrk_run "$s" "$DURATION")
  echo "$report" >"$WORK/$s.max$2.txt"
  rps=$(sed -n 's/^Requests\/sec: *\([0-9.]*\).*/\1/p' <<<"$report")
  errs=$( (grep -E 'Non-2xx|Socket errors' <<<"$report" || true) | tr -s ' ' | tr '\n' ';')
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$report")
  echo "${rps%.*} ${errs:-none}" >>"$WORK/$s.max"
  printf '  round %s %-6s max   %8.0f rps  p99 %s  errors: %s\n' "$2" "$s" "$rps" "$p99" "${errs:-none}"
}

median() { sort -g | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; print m + 0 }'; }

echo "load: $(uptime | sed 's/.*load average/load average/')  cores: $(nproc)"
echo "ports 127.0.0.1: backend $BACKEND_PORT, nginx $NGINX_PORT, knet $KNET_PORT; threads/workers: $THREADS; access log: $([ "$ACCESS_LOG" = 1 ] && echo on || echo off)"
start_backend; start_nginx; start_knet
wait_ready backend "$BACKEND_PORT" localhost
wait_ready nginx "$NGINX_PORT" "$HOST"; wait_ready knet "$KNET_PORT" "$HOST"
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: other.test" "http://127.0.0.1:$KNET_PORT/")" = 404 ] ||
  { echo "knet does not answer 404 for an unknown host" >&2; exit 1; }
warm_knet() { # 10 s wrk segments until the rate settles (within 10 % of the previous, >= WARMUP s), at most 120 s
  local prev=0 cur secs=0
  while :; do
    cur=$(wrk_run knet 10 | sed -n 's/^Requests\/sec: *\([0-9]*\).*/\1/p'); secs=$((secs + 10))
    printf '  warm-up knet %3ss: %s rps\n' "$secs" "$cur"
    if [ "$secs" -ge "$WARMUP" ] && [ "$prev" -gt 0 ] && [ $(( (cur - prev) * 10 )) -le "$prev" ] &&
       [ $(( (prev - cur) * 10 )) -le "$prev" ]; then break; fi
    [ "$secs" -ge 120 ] && break
    prev=$cur
  done
}
echo "warm-up: knet until its rate settles (JIT), nginx 3s; then both at the fixed rate, unmeasured"
warm_knet
wrk_run nginx 3 >/dev/null
# The fixed-rate path is the same code, but at its low rate C2 was measured still compiling
# methods whose counters the wrk warm-up left short of the threshold (about 7 % of knet's CPU in
# the first measured round): one unmeasured fixed-rate run per proxy settles that first.
for s in "${PROXIES[@]}"; do
  hey -z "${DURATION}s" -c "$HEY_CONNS" -q "$(awk -v r="$RATE" -v c="$HEY_CONNS" 'BEGIN { printf "%g", r / c }')" \
    -host "$HOST" "http://127.0.0.1:${PORTOF[$s]}/" >/dev/null 2>&1
done
for r in $(seq "$ROUNDS"); do
  for s in "${PROXIES[@]}"; do fixed "$s" "$r"; done
  for s in "${PROXIES[@]}"; do maxrun "$s" "$r"; done
done
declare -A RSS=() HWM=()
for s in "${PROXIES[@]}"; do read -r RSS[$s] HWM[$s] < <(rss_kb "$s"); done

echo
printf '%-6s %16s %9s %9s %10s %9s %9s\n' proxy "cpu%/1k_rps@$RATE" p50_ms p99_ms max_rps rss_MiB peak_MiB
declare -A CPU=() P50=() P99=() MAX=()
for s in "${PROXIES[@]}"; do
  CPU[$s]=$(cut -d' ' -f1 "$WORK/$s.fixed" | median)
  P50[$s]=$(cut -d' ' -f2 "$WORK/$s.fixed" | median)
  P99[$s]=$(cut -d' ' -f3 "$WORK/$s.fixed" | median)
  MAX[$s]=$(cut -d' ' -f1 "$WORK/$s.max" | median)
  printf '%-6s %16s %9s %9s %10s %9.1f %9.1f\n' "$s" "${CPU[$s]}" "${P50[$s]}" "${P99[$s]}" "${MAX[$s]}" \
    "$(awk -v k="${RSS[$s]}" 'BEGIN { print k / 1024 }')" "$(awk -v k="${HWM[$s]}" 'BEGIN { print k / 1024 }')"
done
awk -v kc="${CPU[knet]}" -v nc="${CPU[nginx]}" -v kp="${P99[knet]}" -v np="${P99[nginx]}" \
    -v km="${MAX[knet]}" -v nm="${MAX[nginx]}" -v kr="${RSS[knet]}" -v nr="${RSS[nginx]}" 'BEGIN {
  printf "\nknet/nginx cpu per 1k rps: %.2fx (goal <= 1.5x: %s)\n", kc / nc, (kc / nc <= 1.5) ? "met" : "NOT met"
  printf "knet/nginx p99 at fixed rate: %.2fx (goal <= 1.2x: %s)\n", kp / np, (kp / np <= 1.2) ? "met" : "NOT met"
  printf "knet/nginx max rps: %.2fx (goal >= 0.8x: %s)\n", km / nm, (km / nm >= 0.8) ? "met" : "NOT met"
  printf "knet/nginx rss: %.1fx\n", kr / nr }'
echo "(medians of $ROUNDS rounds of ${DURATION}s; fixed: hey -c $HEY_CONNS at $RATE rps; max: wrk -t$WRK_THREADS -c$WRK_CONNS;" \
  "knet threads = nginx workers = $THREADS; load after: $(uptime | sed 's/.*load average: //'))"
