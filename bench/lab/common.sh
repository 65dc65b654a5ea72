# Sourced by the lab benchmarks: the knet launcher, a lab that is always taken down, statistics.
# The benchmarks run ./knet with KNET_BUILD=never: the installed jars, never a rebuild half-way
# through a measurement (run `mvn install -DskipTests` at the root first).
LAB_HERE="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")" && pwd)"
KNET_ROOT="$(cd "$LAB_HERE/../.." && pwd)"
export KNET_BUILD=never

# knet_install DIR: a private copy of the launcher and the knet jars (the classpath rewritten to
# the copies; third-party jars stay in the local repository). The repo's module jars are rewritten
# by every build, and a jar replaced under a running JVM cannot load the classes it has not loaded yet
# (NoClassDefFoundError in the lab daemon) and invalidates the CLI's AOT cache.
knet_install() {
  local dir=$1 e
  mkdir -p "$dir/scripts" "$dir/knet-cli/target" "$dir/jars"
  cp "$KNET_ROOT/knet" "$dir/knet"
  cp "$KNET_ROOT/scripts/find-java.sh" "$dir/scripts/"
  cp "$KNET_ROOT"/knet-cli/target/knet-cli-*.jar "$dir/knet-cli/target/"
  tr ':' '\n' <"$KNET_ROOT/knet-cli/target/classpath.txt" | while read -r e || [ -n "$e" ]; do
    case $e in
      "$KNET_ROOT"/*) cp "$e" "$dir/jars/" && echo "$dir/jars/$(basename "$e")" ;;
      *) echo "$e" ;;
    esac
  done | paste -sd: >"$dir/knet-cli/target/classpath.txt"
}

[ "$(id -u)" = 0 ] || { echo "the lab benchmarks need root (network namespaces)" >&2; exit 1; }

LABS=()
CLEANUPS=()
KNET_INSTALL=""
# Takes every lab this script started down and runs the registered cleanups, also on failure.
lab_cleanup() {
  local rc=$? c lab
  trap - EXIT
  for c in "${CLEANUPS[@]}"; do eval "$c" || true; done
  for lab in "${LABS[@]}"; do [ -n "$lab" ] || continue; "$KNET" down --name "$lab" >/dev/null 2>&1 || echo "knet down --name $lab failed" >&2; done
  [ -z "$KNET_INSTALL" ] || rm -rf "$KNET_INSTALL"
  exit "$rc"
}
trap lab_cleanup EXIT
trap 'exit 130' INT TERM

# The benchmarks run ./knet from a private install made when they start (KNET_BENCH_INSTALL=0: the
# repo's ./knet itself).
if [ "${KNET_BENCH_INSTALL:-1}" = 1 ]; then
  KNET_INSTALL=$(mktemp -d /tmp/knet-bench-install.XXXXXX)
  knet_install "$KNET_INSTALL"
  KNET="$KNET_INSTALL/knet"
else
  KNET="$KNET_ROOT/knet"
fi

# lab_up NAME NODES [MODE]: a lab, registered for cleanup before it starts.
lab_up() {
  LABS+=("$1")
  "$KNET" up --name "$1" --nodes "$2" --mode "${3:-vxlan}" --timeout "${LAB_TIMEOUT:-180}" >/dev/null
}

# lab_down NAME: takes a lab down now and forgets it.
lab_down() {
  local keep=() l
  "$KNET" down --name "$1" >/dev/null
  for l in "${LABS[@]}"; do [ "$l" = "$1" ] || keep+=("$l"); done
  LABS=("${keep[@]}")
}

# A cluster name unlikely to clash: short, letters and digits only (namespaces are knet-<cluster>-...).
lab_name() {
  echo "$1$((RANDOM % 9000 + 1000))"
}

# The API URL of a running lab's daemon (from its daemon.json).
lab_api() {
  sed -n 's/.*"apiUrl":"\([^"]*\)".*/\1/p' "${KNET_HOME:-$HOME/.knet}/clusters/$1/daemon.json"
}

# stats: reads numbers, one per line; prints "median p90 min max" (nearest-rank percentiles).
stats() {
  sort -n | awk '{v[NR]=$1} END {
    if (NR == 0) { print "- - - -"; exit }
    m = int((NR + 1) / 2); p = int(NR * 0.9 + 0.999999); if (p < 1) p = 1
    print v[m], v[p], v[1], v[NR] }'
}

load_note() {
  echo "machine load ($1): $(uptime | sed 's/.*load average/load average/'), $(nproc) cores"
}

# pods_tsv LAB [NAMESPACE]: one line per pod of the namespace: name phase podIP netns node ready.
pods_tsv() {
  curl -sf --max-time 10 "$(lab_api "$1")/api/v1/namespaces/${2:-default}/pods" | python3 -c '
import json, sys
for p in json.load(sys.stdin).get("items", []):
    md, st = p["metadata"], p.get("status", {})
    ready = any(c.get("type") == "Ready" and c.get("status") == "True" for c in st.get("conditions", []))
    print(md["name"], st.get("phase", "-"), st.get("podIP") or "-",
          (md.get("annotations") or {}).get("knet.dev/netns", "-"), p["spec"].get("nodeName") or "-",
          "ready" if ready else "notready")'
}

# agnhost_pod NAME NODE: a Pod manifest running agnhost netexec on port 8080, bound to a node.
agnhost_pod() {
  cat <<EOM
apiVersion: v1
kind: Pod
metadata: {name: $1, labels: {app: bench}}
spec:
  nodeName: $2
  containers:
  - {name: agnhost, image: registry.k8s.io/e2e-test-images/agnhost:2.47, args: [netexec, --http-port=8080]}
---
EOM
}

# aot_ready: waits (at most 300 s) until the launcher's AOT cache exists and no trainer runs, so
# that training does not load the machine during a measurement. Triggers training if needed.
aot_ready() {
  local dir
  [ "${KNET_AOT:-on}" != off ] || return 0
  dir="$(dirname "$KNET")/knet-cli/target/aot"
  "$KNET" --version >/dev/null
  for _ in $(seq 1 300); do
    compgen -G "$dir/knet-*.aot" >/dev/null && [ ! -d "$dir/.training" ] && return 0
    sleep 1
  done
  echo "no AOT cache after 300 s (continuing without)" >&2
}
