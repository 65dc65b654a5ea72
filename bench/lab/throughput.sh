#!/usr/bin/env bash
# TCP throughput pod -> pod across nodes, per pod-network mode, beside a bare veth pair between two
# fresh namespaces (the peer: the same kernel path without any lab in between), same run.
#
# Needs: root, iperf3, python3, curl, the lab's system tools, the project installed.
# Usage: bench/lab/throughput.sh [-t SECONDS] [-m MODES] [-P STREAMS] [-r ROUNDS]
#   -t SECONDS  length of one iperf3 run (default 5)
#   -m MODES    comma-separated modes (default bridge,routed,vxlan,cloud)
#   -P STREAMS  parallel TCP streams (default 1)
#   -r ROUNDS   pod/bare pairs per mode (default 3); the ratio is the median of the rounds' ratios
#
# Method: per mode, a 2-node lab and two agnhost pods pinned to node-1 and node-2; iperf3's server
# runs in the first pod's namespace, its client in the second's (`ip netns exec` of the pod's
# knet.dev/netns annotation, as `knet exec` does), one TCP run of SECONDS; Gbit/s is what the
# receiver counted. Each round pairs it with the same iperf3 run over a veth pair between two
# namespaces knet-bench-<pid>-a/-b made for it and removed after (default settings, as a pod's veth
# gets them), the order alternating between rounds: run next to each other, both see the same
# background load. Ratio = pod path / bare veth. Goals: >= 0.75x vxlan, >= 0.9x the others.
#
# knet turns BIG TCP on for pod veths and the underlay (192 KiB packets; not in vxlan mode), which a
# veth pair made with `ip link add` does not have. So each round also runs a bare veth pair with
# BIG TCP set the same way (big-tcp.py), and "ratio BIG" = pod path / that: the same kernel path
# with the same setting, for those who want the peer configured alike.
#
# For vxlan, each round also runs the same pod path built by hand with nothing of knet in it (kernel-vxlan.sh:
# pods, forwarding nodes, VXLAN devices, an underlay bridge, no nftables): "kernel-only" is what this kernel
# gives that topology, the ceiling of what knet's vxlan mode can reach here, and "ratio kernel" = pod path / it.
#
# On a loaded machine one run's Gbit/s swings by tens of percent; so each round also runs both
# paths at a fixed 1 Gbit/s and reads iperf3's CPU use (client + server, user + system, which on
# veths includes the softirq work of every hop): "cpu ratio" = bare CPU / pod CPU is what the
# throughput ratio tends to when the transfer is CPU-bound, and moves much less with the load.
set -euo pipefail
export KNET_AOT=off # no CLI timing here, and no cache training in the background during a transfer
. "$(dirname "$(readlink -f "$0")")/common.sh"
. "$(dirname "$(readlink -f "$0")")/kernel-vxlan.sh"

SECONDS_PER_RUN=5 MODES=bridge,routed,vxlan,cloud STREAMS=1 ROUNDS=3
while getopts "t:m:P:r:h" opt; do
  case $opt in
    t) SECONDS_PER_RUN=$OPTARG ;; m) MODES=$OPTARG ;; P) STREAMS=$OPTARG ;; r) ROUNDS=$OPTARG ;;
    *) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 2 ;;
  esac
done
[ "$SECONDS_PER_RUN" -ge 1 ] && [ "$SECONDS_PER_RUN" -le 60 ] || { echo "-t must be 1..60" >&2; exit 2; }
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 10 ] || { echo "-r must be 1..10" >&2; exit 2; }
for tool in iperf3 python3 curl; do command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 1; }; done

WORK=$(mktemp -d /tmp/knet-throughput-bench.XXXXXX)
CLEANUPS+=("rm -rf '$WORK'")
VA="knet-bench-$$-a" VB="knet-bench-$$-b"
CLEANUPS+=("ip netns del $VA 2>/dev/null; ip netns del $VB 2>/dev/null")
VK="knet-bench-$$-k"
CLEANUPS+=("kernel_vxlan_down $VK")
load_note start

# iperf NS_SERVER NS_CLIENT SERVER_IP [IPERF_ARGS...]: prints "Gbit/s cpu%" of one run: what the
# receiver counted, and the CPU the client and the server used (each in % of one CPU, summed).
iperf() {
  local pid out ns_s=$1 ns_c=$2 ip=$3
  shift 3
  ip netns exec "$ns_s" timeout $((SECONDS_PER_RUN + 30)) iperf3 -s -1 -B "$ip" -p 5201 >/dev/null 2>&1 &
  pid=$!
  for _ in $(seq 1 50); do
    ip netns exec "$ns_s" ss -Hltn 'sport = :5201' 2>/dev/null | grep -q . && break
    sleep 0.1
  done
  out=$(ip netns exec "$ns_c" timeout $((SECONDS_PER_RUN + 20)) iperf3 -c "$ip" -p 5201 -t "$SECONDS_PER_RUN" \
    -P "$STREAMS" -J "$@" 2>&1) || { kill "$pid" 2>/dev/null; echo "iperf3 failed: $out" >&2; return 1; }
  wait "$pid" 2>/dev/null || true
  python3 -c 'import json, sys
e = json.load(sys.stdin)["end"]
c = e["cpu_utilization_percent"]
print("%.2f %.1f" % (e["sum_received"]["bits_per_second"] / 1e9, c["host_total"] + c["remote_total"]))' <<<"$out"
}

bare_veth() { # [big] [IPERF_ARGS...]: a fresh veth pair, created inside the two namespaces (never in the host's)
  local big=""
  if [ "${1:-}" = big ]; then big=1; shift; fi
  ip netns del "$VA" 2>/dev/null || true
  ip netns del "$VB" 2>/dev/null || true
  {
    ip netns add "$VA"
    ip netns add "$VB"
    ip -n "$VA" link add eth0 type veth peer name eth0 netns "$VB"
    ip -n "$VA" addr add 10.254.0.1/30 dev eth0
    ip -n "$VB" addr add 10.254.0.2/30 dev eth0
    for ns in "$VA" "$VB"; do ip -n "$ns" link set lo up; ip -n "$ns" link set eth0 up; done
    if [ -n "$big" ]; then
      for ns in "$VA" "$VB"; do ip netns exec "$ns" python3 "$(dirname "$(readlink -f "$0")")/big-tcp.py" eth0; done
    fi
  } >/dev/null
  iperf "$VA" "$VB" 10.254.0.1 "$@"
  ip netns del "$VA"
  ip netns del "$VB"
}

# median: of the numbers given as arguments.
median() { printf '%s\n' "$@" | sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

declare -A POD=() VETH=() RATIO=() CPU=() MTU=() BIG=() BIGRATIO=() KERNEL=() KRATIO=()
for mode in ${MODES//,/ }; do
  name=$(lab_name tp)
  echo "mode $mode: lab $name (2 nodes)"
  lab_up "$name" 2 "$mode"
  { agnhost_pod srv node-1; agnhost_pod cli node-2; } >"$WORK/pods.yaml"
  "$KNET" --name "$name" apply -f "$WORK/pods.yaml" >/dev/null
  ok=""
  for _ in $(seq 1 120); do
    pods_tsv "$name" >"$WORK/pods.tsv" 2>/dev/null || true
    if [ "$(awk '$2 == "Running" && $3 != "-" && $4 != "-"' "$WORK/pods.tsv" | wc -l)" = 2 ]; then ok=1; break; fi
    sleep 1
  done
  [ -n "$ok" ] || { echo "pods not running after 120 s:" >&2; cat "$WORK/pods.tsv" >&2; exit 1; }
  read -r _ _ srv_ip srv_ns srv_node _ < <(grep '^srv ' "$WORK/pods.tsv")
  read -r _ _ _ cli_ns cli_node _ < <(grep '^cli ' "$WORK/pods.tsv")
  MTU[$mode]=$(ip -n "$cli_ns" -o link show eth0 | sed -n 's/.* mtu \([0-9]*\).*/\1/p')
  echo "  srv $srv_ip on $srv_node, cli on $cli_node, pod MTU ${MTU[$mode]}"
  pods=() bares=() ratios=() cpus=() bigs=() bigratios=() kernels=() kratios=()
  for round in $(seq 1 "$ROUNDS"); do
    # odd rounds measure the pod path first, even rounds the bare veth first; $(...) waits for the
    # whole function (a process substitution would not: its bare veth could still be being removed
    # when the next one is made under the same names)
    if [ $((round % 2)) = 1 ]; then
      pr=$(iperf "$srv_ns" "$cli_ns" "$srv_ip"); br=$(bare_veth)
      pf=$(iperf "$srv_ns" "$cli_ns" "$srv_ip" -b 1G); bf=$(bare_veth -b 1G)
    else
      br=$(bare_veth); pr=$(iperf "$srv_ns" "$cli_ns" "$srv_ip")
      bf=$(bare_veth -b 1G); pf=$(iperf "$srv_ns" "$cli_ns" "$srv_ip" -b 1G)
    fi
    gr=$(bare_veth big)
    p=${pr% *} b=${br% *} pc=${pf#* } bc=${bf#* } g=${gr% *}
    kernel_note=""
    if [ "$mode" = vxlan ]; then
      kr=$(kernel_vxlan "$VK")
      k=${kr% *}
      kernels+=("$k")
      kratios+=("$(awk -v p="$p" -v k="$k" 'BEGIN {printf "%.2f", p / k}')")
      kernel_note="; kernel-only vxlan path $k Gbit/s, ratio ${kratios[-1]}"
    fi
    pods+=("$p") bares+=("$b") bigs+=("$g")
    ratios+=("$(awk -v p="$p" -v b="$b" 'BEGIN {printf "%.2f", p / b}')")
    bigratios+=("$(awk -v p="$p" -v b="$g" 'BEGIN {printf "%.2f", p / b}')")
    cpus+=("$(awk -v p="$pc" -v b="$bc" 'BEGIN {printf "%.2f", (p > 0 ? b / p : 0)}')")
    echo "  round $round: pod->pod $p Gbit/s, bare veth $b Gbit/s, ratio ${ratios[-1]};" \
      "bare veth with BIG TCP $g Gbit/s, ratio ${bigratios[-1]};" \
      "CPU at 1 Gbit/s: pod $pc%, bare $bc%, cpu ratio ${cpus[-1]}$kernel_note"
  done
  POD[$mode]=$(median "${pods[@]}") VETH[$mode]=$(median "${bares[@]}")
  RATIO[$mode]=$(median "${ratios[@]}") CPU[$mode]=$(median "${cpus[@]}")
  BIG[$mode]=$(median "${bigs[@]}") BIGRATIO[$mode]=$(median "${bigratios[@]}")
  if [ "${#kernels[@]}" -gt 0 ]; then KERNEL[$mode]=$(median "${kernels[@]}") KRATIO[$mode]=$(median "${kratios[@]}"); fi
  lab_down "$name"
done
load_note end

echo
echo "medians of $ROUNDS round(s); ratio = median of the rounds' ratios"
printf '%-8s %8s %16s %17s %8s %10s %8s  %-8s %13s %10s %13s %13s\n' mode "pod MTU" "pod->pod Gbit/s" \
  "bare veth Gbit/s" ratio "cpu ratio" goal verdict "bare BIG Gbit/s" "ratio BIG" "kernel Gbit/s" "ratio kernel"
for mode in ${MODES//,/ }; do
  goal=0.90
  [ "$mode" = vxlan ] && goal=0.75
  awk -v m="$mode" -v mtu="${MTU[$mode]}" -v p="${POD[$mode]}" -v v="${VETH[$mode]}" -v r="${RATIO[$mode]}" \
    -v c="${CPU[$mode]}" -v g="$goal" -v bg="${BIG[$mode]}" -v br="${BIGRATIO[$mode]}" \
    -v k="${KERNEL[$mode]:-}" -v kr="${KRATIO[$mode]:-}" 'BEGIN {
    printf "%-8s %8s %16.2f %17.2f %7.2fx %9.2fx %7.2fx  %-8s %13.2f %9.2fx %13s %13s\n", m, mtu, p, v, r, c, g,
      (r >= g ? "met" : "NOT met"), bg, br, (k == "" ? "-" : sprintf("%.2f", k)), (kr == "" ? "-" : kr "x") }'
done
