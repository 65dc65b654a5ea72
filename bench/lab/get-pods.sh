#!/usr/bin/env bash
# Wall time of `knet get pods` against a running lab, JVM start included: the launcher with its AOT
# cache (JDK 25, JEP 483/514) beside the same launcher without it (KNET_AOT=off), same run.
#
# Needs: root, the lab's system tools, a JDK >= 25, the project installed (mvn install -DskipTests).
# Usage: bench/lab/get-pods.sh [-n RUNS] [-p PODS]
#   -n RUNS   timed runs per variant, interleaved (default 20)
#   -p PODS   pods applied to the default namespace first, so the table has rows (default 4)
#
# Method: a 2-node lab, run from a private copy of the launcher and the knet jars (common.sh: the
# repo's module jars are rewritten by every build, and a jar newer than the cache makes the JVM
# drop it); the first run trains the cache in the background, the script waits for it, checks both
# variants print the same table, then times RUNS pairs (cache, no cache) in alternation. Wall
# time is measured around the launcher (bash, the JDK lookup, the cache key, the JVM, the
# request); CPU is the user+system time of the whole command (/usr/bin/time).
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/common.sh"

RUNS=20 PODS=4
while getopts "n:p:h" opt; do
  case $opt in
    n) RUNS=$OPTARG ;; p) PODS=$OPTARG ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
  esac
done
[ "$RUNS" -ge 1 ] && [ "$RUNS" -le 200 ] || { echo "-n must be 1..200" >&2; exit 2; }

WORK=$(mktemp -d /tmp/knet-getpods-bench.XXXXXX)
CLEANUPS+=("rm -rf '$WORK'")
NAME=$(lab_name bget)
load_note start

# The private install (common.sh) also keeps the AOT cache valid: the repo's jars change under it.
INST="$KNET_INSTALL"
[ -n "$INST" ] || { echo "get-pods.sh needs the private install (KNET_BENCH_INSTALL=1)" >&2; exit 1; }
IKNET="$INST/knet"

echo "lab $NAME: 2 nodes, $PODS pods in default"
lab_up "$NAME" 2
for i in $(seq 1 "$PODS"); do
  agnhost_pod "web-$i" "node-$(( (i - 1) % 2 + 1 ))"
done >"$WORK/pods.yaml"
"$IKNET" --name "$NAME" apply -f "$WORK/pods.yaml" >/dev/null

# --- the cache: the first run trains it in the background.
"$IKNET" --name "$NAME" get pods >/dev/null
for _ in $(seq 1 300); do
  compgen -G "$INST/knet-cli/target/aot/knet-*.aot" >/dev/null && [ ! -d "$INST/knet-cli/target/aot/.training" ] && break
  sleep 1
done
CACHE=$(compgen -G "$INST/knet-cli/target/aot/knet-*.aot" | head -n 1) \
  || { echo "no AOT cache after 300 s" >&2; exit 1; }
echo "AOT cache: $(du -h "$CACHE" | cut -f1)"

with() { "$IKNET" --name "$NAME" get pods; }
without() { KNET_AOT=off "$IKNET" --name "$NAME" get pods; }
# Same output both ways; and count the classes the cache served (class+load log to a file).
diff <(with 2>&1 | sed 's/  *[0-9][0-9]*[smhd]$//') <(without 2>&1 | sed 's/  *[0-9][0-9]*[smhd]$//') >/dev/null \
  || { echo "the two variants print different tables" >&2; exit 1; }
for v in with without; do
  JAVA_TOOL_OPTIONS="-Xlog:class+load:file=$WORK/classes-$v.log" $v >/dev/null 2>&1
  echo "classes loaded $v the cache: $(wc -l <"$WORK/classes-$v.log"), from the cache or the JDK's CDS archive:" \
    "$(grep -c 'shared objects file' "$WORK/classes-$v.log" || true)"
done

# --- timed runs, interleaved so background load hits both alike.
timed() { # KNET_AOT value, file: appends "wall_ms cpu_ms" of one run
  local t0 t1
  t0=$(date +%s%N)
  if ! KNET_AOT=$1 /usr/bin/time -f '%U %S' -o "$WORK/cpu" "$IKNET" --name "$NAME" get pods >/dev/null 2>"$WORK/err"; then
    # Counted and shown, not fatal: one failed run should not throw away the others.
    echo "a run (KNET_AOT=$1) failed:" >&2; head -n 5 "$WORK/err" >&2
    echo "$1" >>"$WORK/failed"
    return 0
  fi
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $(awk '{printf "%d", ($1 + $2) * 1000}' "$WORK/cpu")" >>"$2"
}
for _ in $(seq 1 "$RUNS"); do
  timed on "$WORK/with.txt"
  timed off "$WORK/without.txt"
done
load_note end

read -r wm wp wmin wmax < <(cut -d' ' -f1 "$WORK/with.txt" | stats)
read -r om op omin omax < <(cut -d' ' -f1 "$WORK/without.txt" | stats)
read -r wc _ _ _ < <(cut -d' ' -f2 "$WORK/with.txt" | stats)
read -r oc _ _ _ < <(cut -d' ' -f2 "$WORK/without.txt" | stats)
echo
printf '%-26s %10s %10s %10s %10s %14s\n' "knet get pods ($RUNS runs)" "median ms" "p90 ms" "min ms" "max ms" "median CPU ms"
printf '%-26s %10s %10s %10s %10s %14s\n' "with AOT cache (knet)" "$wm" "$wp" "$wmin" "$wmax" "$wc"
printf '%-26s %10s %10s %10s %10s %14s\n' "without (peer)" "$om" "$op" "$omin" "$omax" "$oc"
[ ! -s "$WORK/failed" ] || echo "failed runs: $(sort "$WORK/failed" | uniq -c | tr '\n' ' ')(KNET_AOT=on|off)"
awk -v a="$wm" -v b="$om" -v c="$wc" -v d="$oc" 'BEGIN {
  printf "ratio knet/peer: wall %.2fx, CPU %.2fx; goal: median <= 300 ms: %s\n", a / b, c / d, (a <= 300 ? "met" : "NOT met") }'
