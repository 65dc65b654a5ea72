#!/usr/bin/env bash
# Wall time of `knet get pods` against a running lab, JVM start included, as users run it: the launcher,
# which hands this command to the light client (java.base only, the table rendered by the daemon) with
# its own AOT cache. Beside it, from the same run and interleaved: the light client without a cache, the
# full CLI with its AOT cache (KNET_LIGHT=off) and the full CLI without (the baseline: KNET_LIGHT=off
# KNET_AOT=off), plus the floor: a JVM that prints one line (same flags, the JDK's CDS archive), and the
# daemon's share: its rendered-table reply fetched with curl.
#
# Needs: root, the lab's system tools, a JDK >= 25, the project installed (mvn install -DskipTests).
# Usage: bench/lab/get-pods.sh [-n RUNS] [-p PODS]
#   -n RUNS   timed runs per variant, interleaved (default 20)
#   -p PODS   pods applied to the default namespace first, so the table has rows (default 4)
#
# Method: a 2-node lab, run from a private copy of the launcher and the knet jars (common.sh: the
# repo's module jars are rewritten by every build, and a jar newer than a cache makes the JVM drop it);
# the first runs train both caches in the background, the script waits for them, checks every variant
# prints the same table and that the light client answered itself (the full CLI's main class never
# loaded), then times RUNS rounds of all variants in alternation. Wall time is measured around the
# launcher (bash, the JDK lookup, the JVM, the request); CPU is the user+system time of the whole
# command (/usr/bin/time).
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

# The private install (common.sh) also keeps the AOT caches valid: the repo's jars change under them.
INST="$KNET_INSTALL"
[ -n "$INST" ] || { echo "get-pods.sh needs the private install (KNET_BENCH_INSTALL=1)" >&2; exit 1; }
IKNET="$INST/knet"
AOT="$INST/knet-cli/target/aot"

echo "lab $NAME: 2 nodes, $PODS pods in default"
lab_up "$NAME" 2
for i in $(seq 1 "$PODS"); do
  agnhost_pod "web-$i" "node-$(( (i - 1) % 2 + 1 ))"
done >"$WORK/pods.yaml"
"$IKNET" --name "$NAME" apply -f "$WORK/pods.yaml" >/dev/null

# --- the caches: the first run of each path trains its cache in the background.
"$IKNET" --name "$NAME" get pods >/dev/null
KNET_LIGHT=off "$IKNET" --name "$NAME" get pods >/dev/null
for _ in $(seq 1 300); do
  compgen -G "$AOT/knet-*.aot" >/dev/null && compgen -G "$AOT/light-*.aot" >/dev/null \
    && [ ! -d "$AOT/.training" ] && [ ! -d "$AOT/.training-light" ] && break
  sleep 1
done
for c in knet light; do
  cache=$(compgen -G "$AOT/$c-*.aot" | head -n 1) || { echo "no $c AOT cache after 300 s" >&2; exit 1; }
  echo "AOT cache ($c): $(du -h "$cache" | cut -f1)"
done

# The floor: the smallest Java program with the launcher's JVM flags, on the launcher's JDK.
. "$KNET_ROOT/scripts/find-java.sh"
knet_find_java
mkdir -p "$WORK/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("NAME"); } }\n' >"$WORK/Hello.java"
"$JAVA_HOME/bin/javac" -d "$WORK/hello" "$WORK/Hello.java"

# variant -> its command line (in CMD), run through env so every variant pays the same exec.
VARIANTS=(light light-nocache full full-nocache floor reply)
TABLES=$(sed -n 's/.*"tablesUrl":"\([^"]*\)".*/\1/p' "${KNET_HOME:-$HOME/.knet}/clusters/$NAME/daemon.json")
[ -n "$TABLES" ] || { echo "the daemon publishes no tablesUrl" >&2; exit 1; }
variant_cmd() {
  case $1 in
    light) CMD=("$IKNET" --name "$NAME" get pods) ;;
    light-nocache) CMD=(KNET_AOT=off "$IKNET" --name "$NAME" get pods) ;;
    full) CMD=(KNET_LIGHT=off "$IKNET" --name "$NAME" get pods) ;;
    full-nocache) CMD=(KNET_LIGHT=off KNET_AOT=off "$IKNET" --name "$NAME" get pods) ;;
    floor) CMD=("$JAVA_HOME/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -cp "$WORK/hello" Hello) ;;
    reply) CMD=(curl -sf --max-time 10 "$TABLES?kind=pods") ;;
  esac
}
run_variant() {
  variant_cmd "$1"
  env "${CMD[@]}"
}

# Same output every way (AGE aside), and the light runs never fell back to the full CLI.
strip_age() { sed 's/  *[0-9][0-9]*[smhd]$//'; }
for v in light light-nocache full-nocache; do
  diff <(run_variant full 2>&1 | strip_age) <(run_variant "$v" 2>&1 | strip_age) >/dev/null \
    || { echo "$v prints another table than the full CLI" >&2; exit 1; }
done
for v in light light-nocache full full-nocache; do
  JAVA_TOOL_OPTIONS="-Xlog:class+load:file=$WORK/classes-$v.log" run_variant "$v" >/dev/null 2>&1
  echo "classes loaded, $v: $(wc -l <"$WORK/classes-$v.log"), from an AOT cache or the JDK's CDS archive:" \
    "$(grep -c 'shared objects file' "$WORK/classes-$v.log" || true)"
done
for v in light light-nocache; do
  ! grep -q ' dev.knet.cli.Main ' "$WORK/classes-$v.log" \
    || { echo "the light client fell back to the full CLI ($v)" >&2; exit 1; }
done

# --- timed runs, interleaved so background load hits every variant alike.
timed() { # variant: appends "wall_ms cpu_ms" of one run to $WORK/VARIANT.txt
  local t0 t1
  t0=$(date +%s%N)
  variant_cmd "$1"
  if ! /usr/bin/time -f '%U %S' -o "$WORK/cpu" env "${CMD[@]}" >/dev/null 2>"$WORK/err"; then
    # Counted and shown, not fatal: one failed run should not throw away the others.
    echo "a run ($1) failed:" >&2; head -n 5 "$WORK/err" >&2
    echo "$1" >>"$WORK/failed"
    return 0
  fi
  t1=$(date +%s%N)
  echo "$(( (t1 - t0) / 1000000 )) $(awk '{printf "%d", ($1 + $2) * 1000}' "$WORK/cpu")" >>"$WORK/$1.txt"
}
for _ in $(seq 1 "$RUNS"); do
  for v in "${VARIANTS[@]}"; do timed "$v"; done
done
load_note end

echo
printf '%-34s %10s %10s %10s %10s %14s\n' "knet get pods ($RUNS runs)" "median ms" "p90 ms" "min ms" "max ms" "median CPU ms"
row() { # label variant
  local m p lo hi c
  read -r m p lo hi < <(cut -d' ' -f1 "$WORK/$2.txt" 2>/dev/null | stats)
  read -r c _ _ _ < <(cut -d' ' -f2 "$WORK/$2.txt" 2>/dev/null | stats)
  printf '%-34s %10s %10s %10s %10s %14s\n' "$1" "$m" "$p" "$lo" "$hi" "$c"
}
row "knet (light client + AOT cache)" light
row "light client, no cache" light-nocache
row "full CLI + AOT cache" full
row "full CLI, no cache (baseline)" full-nocache
row "JVM floor (Hello, CDS)" floor
row "daemon's table reply (curl)" reply
[ ! -s "$WORK/failed" ] || echo "failed runs: $(sort "$WORK/failed" | uniq -c | tr '\n' ' ')"
read -r km _ _ _ < <(cut -d' ' -f1 "$WORK/light.txt" | stats)
read -r bm _ _ _ < <(cut -d' ' -f1 "$WORK/full-nocache.txt" | stats)
read -r fm _ _ _ < <(cut -d' ' -f1 "$WORK/full.txt" | stats)
awk -v a="$km" -v b="$bm" -v f="$fm" 'BEGIN {
  printf "ratio knet/baseline: wall %.2fx; knet/full CLI with cache: %.2fx; goal: median <= 300 ms: %s\n",
    a / b, a / f, (a <= 300 ? "met" : "NOT met") }'
