#!/usr/bin/env bash
# 300 pods over 3 nodes: `knet apply` of a Deployment of agnhost netexec pods until every pod is
# Running and every pod answers HTTP from one pod on each node. Goal: <= 30 s.
#
# Needs: root, curl (with --parallel, 7.66+), python3, the lab's system tools, the project installed.
# Usage: bench/lab/pods300.sh [-n PODS] [-N NODES] [-m MODE] [-T TIMEOUT] [-k]
#   -n PODS     replicas (default 300)            -N NODES   lab nodes (default 3)
#   -m MODE     pod-network mode (default vxlan)  -T TIMEOUT give up after this many seconds (default 300)
#   -k          keep the lab daemon's log (printed path), to see where the time went
#
# Method: the lab is up and idle first (not timed). The clock starts before `knet apply` (JVM
# start included) and the API is polled every 0.5 s (curl on loopback, not a JVM per poll):
# when every pod has an IP, is Running, is Ready. Then, from the first pod of each node, one curl
# --parallel asks http://POD_IP:8080/hostname of every pod (2 s timeouts); failures are asked
# again until all answer, which stops the clock. The daemon log's first and last "started
# agnhost" lines show when the node agents started the containers.
set -euo pipefail
. "$(dirname "$(readlink -f "$0")")/common.sh"

PODS=300 NODES=3 MODE=vxlan LIMIT=300 KEEP=0
while getopts "n:N:m:T:kh" opt; do
  case $opt in
    n) PODS=$OPTARG ;; N) NODES=$OPTARG ;; m) MODE=$OPTARG ;; T) LIMIT=$OPTARG ;; k) KEEP=1 ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
  esac
done
[ "$PODS" -ge 1 ] && [ "$PODS" -le 1000 ] || { echo "-n must be 1..1000" >&2; exit 2; }
[ "$LIMIT" -le 1800 ] || { echo "-T must be <= 1800" >&2; exit 2; }
for tool in curl python3; do command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }; done

WORK=$(mktemp -d /tmp/knet-pods-bench.XXXXXX)
CLEANUPS+=("rm -rf '$WORK'")
NAME=$(lab_name pods)
LOG="${KNET_HOME:-$HOME/.knet}/clusters/$NAME/daemon.log"
# Registered before the lab, so it runs (before the lab goes down) also when the run fails.
[ "$KEEP" = 0 ] || CLEANUPS+=("cp '$LOG' '/tmp/knet-pods-bench-$NAME.log' && echo 'daemon log: /tmp/knet-pods-bench-$NAME.log'")
load_note start
echo "lab $NAME: $NODES nodes, $MODE; $PODS pods"
lab_up "$NAME" "$NODES" "$MODE"
aot_ready
cat >"$WORK/deploy.yaml" <<EOF
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: $PODS
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - {name: agnhost, image: registry.k8s.io/e2e-test-images/agnhost:2.47, args: [netexec, --http-port=8080]}
EOF

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
T0=$(now_ms)
elapsed() { awk -v a="$(now_ms)" -v b="$T0" 'BEGIN { printf "%.1f", (a - b) / 1000 }'; }
"$KNET" --name "$NAME" apply -f "$WORK/deploy.yaml" >/dev/null
T_APPLY=$(elapsed)
T_IP="" T_RUNNING="" T_READY=""
while :; do
  pods_tsv "$NAME" >"$WORK/pods.tsv" 2>/dev/null || true
  read -r n ip running ready < <(awk '{ n++; if ($3 != "-") ip++; if ($2 == "Running") run++; if ($6 == "ready") rd++ }
    END { print n + 0, ip + 0, run + 0, rd + 0 }' "$WORK/pods.tsv")
  t=$(elapsed)
  [ -z "$T_IP" ] && [ "$n" -ge "$PODS" ] && [ "$ip" -ge "$PODS" ] && T_IP=$t
  [ -z "$T_RUNNING" ] && [ "$n" -ge "$PODS" ] && [ "$running" -ge "$PODS" ] && T_RUNNING=$t
  [ -z "$T_READY" ] && [ "$n" -ge "$PODS" ] && [ "$ready" -ge "$PODS" ] && { T_READY=$t; break; }
  awk -v t="$t" -v l="$LIMIT" 'BEGIN { exit !(t > l) }' && {
    echo "timed out after $LIMIT s: $n pods, $ip with an IP, $running Running, $ready Ready" >&2; exit 1; }
  sleep 0.5
done

# One source pod per node: the first Running pod there.
awk '$2 == "Running" && !seen[$5]++ { print $4, $5 }' "$WORK/pods.tsv" >"$WORK/sources"
awk '{ print $3 }' "$WORK/pods.tsv" >"$WORK/ips"
probe() { # NETNS IPFILE: prints the IPs that did not answer 200
  local args=() ip
  while read -r ip; do args+=("http://$ip:8080/hostname"); done <"$2"
  ip netns exec "$1" curl -s --parallel --parallel-max 64 --connect-timeout 2 --max-time 2 -o /dev/null \
    -w '%{http_code} %{url_effective}\n' "${args[@]}" 2>/dev/null \
    | awk '$1 != "200" { sub("http://", "", $2); sub(":8080/hostname", "", $2); print $2 }' || true
}
ROUNDS=0
while read -r ns node; do
  cp "$WORK/ips" "$WORK/todo"
  while [ -s "$WORK/todo" ]; do
    ROUNDS=$((ROUNDS + 1))
    probe "$ns" "$WORK/todo" >"$WORK/failed"
    mv "$WORK/failed" "$WORK/todo"
    awk -v t="$(elapsed)" -v l="$LIMIT" 'BEGIN { exit !(t > l) }' && {
      echo "timed out: from $node, $(wc -l <"$WORK/todo") pods do not answer" >&2; exit 1; }
  done
done <"$WORK/sources"
T_REACH=$(elapsed)
load_note end

# When the node agents started the containers, from the daemon's log (HH:MM:SS.mmm).
started=$(grep -c 'started agnhost' "$LOG" || true)
first=$(grep -m1 'started agnhost' "$LOG" | cut -d' ' -f1 || true)
last=$(grep 'started agnhost' "$LOG" | tail -n 1 | cut -d' ' -f1 || true)
t0_clock=$(date -d "@$((T0 / 1000))" +%H:%M:%S).$(printf '%03d' $((T0 % 1000)))
rel() { [ -n "$1" ] && awk -v a="$1" -v b="$t0_clock" 'BEGIN { split(a, x, ":"); split(b, y, ":");
  printf "%.1f", (x[1] * 3600 + x[2] * 60 + x[3]) - (y[1] * 3600 + y[2] * 60 + y[3]) }' || echo -; }

echo
echo "$PODS pods on $NODES nodes ($MODE), seconds from the start of \`knet apply\`:"
printf '  %-44s %8s\n' "knet apply returned" "$T_APPLY" \
  "every pod has an IP" "$T_IP" \
  "every pod Running" "$T_RUNNING" \
  "every pod Ready" "$T_READY" \
  "first container started (daemon log)" "$(rel "$first")" \
  "last container started (daemon log, $started)" "$(rel "$last")" \
  "every pod answers HTTP from a pod on each node" "$T_REACH"
echo "  probe rounds (one curl --parallel each): $ROUNDS, sources: $(wc -l <"$WORK/sources")"
awk -v t="$T_REACH" 'BEGIN { printf "knet %.1f s vs goal 30 s: %.2fx of the goal; %s\n", t, t / 30, (t <= 30 ? "met" : "NOT met") }'
