#!/usr/bin/env bash
# Cluster DNS benchmark: knet vs dnsmasq vs unbound, same zone, same query file, same run.
#
# Needs: dnsperf, dnsmasq, unbound, dig (Debian: apt-get install -y dnsperf dnsmasq-base unbound
# bind9-dnsutils), a JDK >= 25 and Maven, and the knet modules installed in the local repository
# (mvn install -DskipTests at the root). Everything listens on 127.0.0.1 only; every server this
# script starts is stopped on exit.
#
# Usage: bench/dns/run.sh [options]
#   -s SERVICES   ClusterIP Services (default 1000)      -H HEADLESS  headless Services (default 100)
#   -l SECONDS    length of one throughput run (10)      -R ROUNDS    throughput rounds per server (3)
#   -c CLIENTS    dnsperf clients (4)                    -Q QPS       throughput rate cap (0 = unlimited)
#   -L QPS        fixed rate of the latency run (5000)   -w SECONDS   knet JIT warm-up (15)
#   -t THREADS    knet event-loop threads (1)            -u THREADS   unbound num-threads (1)
#   -p PORT       first of three loopback ports (25353)  -k          keep the work directory
# KNET_CLASSES=DIR puts DIR first on knet's classpath (compare a changed knet-dns with the installed one).
#
# Method: knet and unbound get the same number of threads by default (dnsmasq has one); all three
# servers are started, checked with dig, warmed up (knet longest: JIT), then
# measured in interleaved rounds so background load hits them alike. Throughput run: dnsperf
# with -Q QPS (unlimited by default) for -l seconds; qps is dnsperf's "Queries per second", CPU is
# the server process's utime+stime (/proc/PID/stat, all threads) across the run, per 100k
# completed queries; the table shows the median over rounds. Latency run: dnsperf -v at a fixed
# rate below every server's capacity; p50/p99 are exact percentiles of the per-query latencies
# dnsperf prints with -v (not of a saturated queue).
set -euo pipefail
HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
BENCH="$(cd "$HERE/.." && pwd)"
. "$BENCH/../scripts/find-java.sh"

SERVICES=1000 HEADLESS=100 DURATION=10 ROUNDS=3 CLIENTS=4 MAXQPS=0 LATQPS=5000 WARMUP=15
KNET_THREADS=1 UNBOUND_THREADS=1 PORT=25353 KEEP=0
while getopts "s:H:l:R:c:Q:L:w:t:u:p:kh" opt; do
  case $opt in
    s) SERVICES=$OPTARG ;; H) HEADLESS=$OPTARG ;; l) DURATION=$OPTARG ;; R) ROUNDS=$OPTARG ;;
    c) CLIENTS=$OPTARG ;; Q) MAXQPS=$OPTARG ;; L) LATQPS=$OPTARG ;; w) WARMUP=$OPTARG ;;
    t) KNET_THREADS=$OPTARG ;; u) UNBOUND_THREADS=$OPTARG ;; p) PORT=$OPTARG ;; k) KEEP=1 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
  esac
done
for tool in dnsperf dnsmasq unbound dig; do
  command -v "$tool" >/dev/null || { echo "missing $tool (see the top of $0)" >&2; exit 1; }
done
knet_find_java
knet_require_maven

WORK=$(mktemp -d /tmp/knet-dns-bench.XXXXXX)
declare -A PID=()
cleanup() {
  for s in "${!PID[@]}"; do kill "${PID[$s]}" 2>/dev/null || true; done
  for s in "${!PID[@]}"; do wait "${PID[$s]}" 2>/dev/null || true; done
  if [ "$KEEP" = 1 ]; then echo "work directory kept: $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

(cd "$BENCH" && mvn -q -o -B package -DskipTests >/dev/null)
CP="$BENCH/target/classes:$(cat "$BENCH/target/classpath.txt")"
"$JAVA_HOME/bin/java" -cp "$CP" -Dlogback.configurationFile="$HERE/logback.xml" \
  dev.knet.bench.dns.BenchZoneFiles "$WORK" "$SERVICES" "$HEADLESS" 3 10 100000 70 15

SERVERS=(knet dnsmasq unbound)
declare -A PORTOF=([knet]=$PORT [dnsmasq]=$((PORT + 1)) [unbound]=$((PORT + 2)))

start_knet() {
  # Server flags: C2 on (no TieredStopAtLevel), fixed heap, the default collector, and Netty's
  # buffer-leak sampling off as in production (on, it records a stack trace every 128th reply buffer).
  "$JAVA_HOME/bin/java" -Xms512m -Xmx512m -XX:+AlwaysPreTouch --enable-native-access=ALL-UNNAMED \
    -Dio.netty.leakDetection.level=disabled \
    -Dlogback.configurationFile="$HERE/logback.xml" -cp "${KNET_CLASSES:+$KNET_CLASSES:}$CP" \
    dev.knet.bench.dns.DnsServeBench "$WORK/manifests" "127.0.0.1:${PORTOF[knet]}" "$KNET_THREADS" \
    >"$WORK/knet.log" 2>&1 &
  PID[knet]=$!
}
start_dnsmasq() {
  # --local-ttl=30 gives the hosts records the TTL the other two serve (dnsmasq's default is 0).
  dnsmasq --no-daemon --no-resolv --no-hosts --port="${PORTOF[dnsmasq]}" --listen-address=127.0.0.1 \
    --bind-interfaces --user=root --conf-file="$WORK/dnsmasq.conf" --addn-hosts="$WORK/dnsmasq.hosts" \
    --local-ttl=30 --cache-size=10000 >"$WORK/dnsmasq.log" 2>&1 &
  PID[dnsmasq]=$!
}
start_unbound() {
  { printf 'server:\n  interface: 127.0.0.1@%s\n  do-ip6: no\n  do-daemonize: no\n  chroot: ""\n' "${PORTOF[unbound]}"
    printf '  username: ""\n  pidfile: ""\n  use-syslog: no\n  verbosity: 0\n  num-threads: %s\n' "$UNBOUND_THREADS"
    printf '  access-control: 127.0.0.0/8 allow\n'
    cat "$WORK/unbound-zone.conf"
    printf 'remote-control:\n  control-enable: no\n'; } >"$WORK/unbound.conf"
  unbound -c "$WORK/unbound.conf" >"$WORK/unbound.log" 2>&1 &
  PID[unbound]=$!
}

wait_ready() { # server: until it answers, at most 120 s (the JVM parses the manifests first)
  local s=$1 i
  for i in $(seq 240); do
    kill -0 "${PID[$s]}" 2>/dev/null || { echo "$s exited:" >&2; cat "$WORK/$s.log" >&2; exit 1; }
    if dig +time=1 +tries=1 @127.0.0.1 -p "${PORTOF[$s]}" dns-check.cluster.local A 2>/dev/null \
        | grep -q 'status:'; then return 0; fi
    sleep 0.5
  done
  echo "$s did not answer on 127.0.0.1:${PORTOF[$s]}" >&2; cat "$WORK/$s.log" >&2; exit 1
}

verify() { # server: every query of expected.txt gets its rcode, and NOERROR ones an answer
  local s=$1 name type rcode out got n
  while read -r name type rcode; do
    out=$(dig +time=2 +tries=2 @127.0.0.1 -p "${PORTOF[$s]}" "$name" "$type")
    got=$(sed -n 's/.*status: \([A-Z]*\),.*/\1/p' <<<"$out")
    n=$(sed -n 's/.*ANSWER: \([0-9]*\),.*/\1/p' <<<"$out")
    if [ "$got" != "$rcode" ] || { [ "$rcode" = NOERROR ] && [ "${n:-0}" -eq 0 ]; }; then
      echo "$s: $name $type: got $got with ${n:-0} answers, want $rcode" >&2; exit 1
    fi
  done <"$WORK/expected.txt"
}

cpu_ticks() { # utime + stime of the whole process (fields 14 and 15, after the "(comm)" field)
  awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"
}

dnsperf_run() { # server seconds qps-cap [extra args]: prints dnsperf's report
  local s=$1 secs=$2 cap=$3; shift 3
  local rate=(); [ "$cap" -gt 0 ] && rate=(-Q "$cap")
  dnsperf -s 127.0.0.1 -p "${PORTOF[$s]}" -d "$WORK/queries.txt" -l "$secs" -c "$CLIENTS" "${rate[@]}" "$@" 2>&1
}

field() { sed -n "s/^ *$1: *\([0-9.]*\).*/\1/p" | head -n 1; }

throughput() { # server round: appends "qps cpu_per_100k lost" to $WORK/$s.tp
  local s=$1 before after report qps completed lost
  before=$(cpu_ticks "${PID[$s]}")
  report=$(dnsperf_run "$s" "$DURATION" "$MAXQPS")
  after=$(cpu_ticks "${PID[$s]}")
  qps=$(field "Queries per second" <<<"$report")
  completed=$(field "Queries completed" <<<"$report")
  lost=$(field "Queries lost" <<<"$report")
  echo "$report" >"$WORK/$s.round$2.txt"
  awk -v q="$qps" -v d="$completed" -v l="$lost" -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%.0f %.3f %s\n", q, t / hz / d * 100000, l }' >>"$WORK/$s.tp"
  printf '  round %s %-8s qps %8.0f  lost %s  cpu %5.2fs\n' "$2" "$s" "$qps" "$lost" \
    "$(awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" 'BEGIN { print t / hz }')"
}

latency() { # server: "p50_ms p99_ms rcodes" from the per-query latencies of a fixed-rate run
  local s=$1
  dnsperf_run "$s" "$DURATION" "$LATQPS" -v >"$WORK/$s.latency.txt"
  local codes; codes=$(sed -n 's/^ *Response codes: *//p' "$WORK/$s.latency.txt")
  awk '$1 == ">" { print $NF }' "$WORK/$s.latency.txt" | sort -g | awk -v codes="$codes" '
    { v[NR] = $1 }
    END { p50 = v[int(NR * 0.50) > 0 ? int(NR * 0.50) : 1]; p99 = v[int(NR * 0.99) > 0 ? int(NR * 0.99) : 1]
          printf "%.3f %.3f %s\n", p50 * 1000, p99 * 1000, codes }' >"$WORK/$s.lat"
}

median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "starting servers on 127.0.0.1 ports ${PORTOF[knet]} (knet) ${PORTOF[dnsmasq]} (dnsmasq) ${PORTOF[unbound]} (unbound)"
for s in "${SERVERS[@]}"; do "start_$s"; done
for s in "${SERVERS[@]}"; do wait_ready "$s"; verify "$s"; echo "  $s: answers checked ($(wc -l <"$WORK/expected.txt") queries)"; done
echo "warm-up: knet ${WARMUP}s (JIT), peers 3s"
dnsperf_run knet "$WARMUP" 0 >/dev/null
for s in dnsmasq unbound; do dnsperf_run "$s" 3 0 >/dev/null; done
for r in $(seq "$ROUNDS"); do
  for s in "${SERVERS[@]}"; do throughput "$s" "$r"; done
done
echo "latency runs at ${LATQPS} qps"
for s in "${SERVERS[@]}"; do latency "$s"; done

echo
printf '%-8s %10s %9s %9s %14s  %s\n' server qps p50_ms p99_ms cpu_s/100k "response codes (latency run)"
declare -A QPS=() CPU=()
for s in "${SERVERS[@]}"; do
  QPS[$s]=$(cut -d' ' -f1 "$WORK/$s.tp" | median)
  CPU[$s]=$(cut -d' ' -f2 "$WORK/$s.tp" | median)
  read -r p50 p99 codes <"$WORK/$s.lat"
  printf '%-8s %10s %9s %9s %14s  %s\n' "$s" "${QPS[$s]}" "$p50" "$p99" "${CPU[$s]}" "$codes"
done
awk -v kq="${QPS[knet]}" -v dq="${QPS[dnsmasq]}" -v kc="${CPU[knet]}" -v uc="${CPU[unbound]}" 'BEGIN {
  printf "\nknet/dnsmasq qps: %.2fx (goal >= 1.0x: %s)\n", kq / dq, (kq / dq >= 1.0) ? "met" : "NOT met"
  printf "knet/unbound cpu per query: %.2fx (goal <= 1.2x: %s)\n", kc / uc, (kc / uc <= 1.2) ? "met" : "NOT met" }'
echo "(qps and cpu: median of $ROUNDS rounds of ${DURATION}s, -c $CLIENTS, rate cap ${MAXQPS/#0/none}; knet threads $KNET_THREADS, unbound threads $UNBOUND_THREADS)"
