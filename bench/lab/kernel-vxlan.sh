#!/usr/bin/env bash
# The lab's vxlan pod path built by hand with nothing of knet in it: the ceiling knet's vxlan mode can
# reach on this kernel. Sourced by throughput.sh (needs its iperf function and root).
#
# Five namespaces, named PREFIX-p1, -n1, -ul, -n2, -p2: a pod on each node (eth0 with a /32, default
# route via 169.254.1.1 on the node's end of its veth, as knet's plugin sets it up), two nodes that
# forward, each with a VXLAN device (VNI 1, port 4789, no learning, the peer's VTEP programmed as a
# permanent neighbour, FDB entry and onlink route, as knet's agent programs them), and an underlay
# bridge between the nodes, MTU 1500, pods 1450. No nftables table, hence no conntrack: every packet
# takes only the kernel's forwarding and VXLAN path. All veths are created inside the namespaces.

# kernel_vxlan_up PREFIX: builds the topology; the pod on node 1 is 10.244.0.2, on node 2 10.244.1.2.
kernel_vxlan_up() {
  local p=$1 n i other
  for n in p1 n1 ul n2 p2; do ip netns add "$p-$n"; ip -n "$p-$n" link set lo up; done
  ip -n "$p-ul" link add ul0 type bridge
  ip -n "$p-ul" link set ul0 up
  for i in 1 2; do
    ip netns exec "$p-n$i" sysctl -qw net.ipv4.ip_forward=1
    # underlay: node eth0 <-> bridge port
    ip -n "$p-ul" link add "ul-n$i" type veth peer name eth0 netns "$p-n$i"
    ip -n "$p-ul" link set "ul-n$i" master ul0 up
    ip -n "$p-n$i" addr add "198.18.0.1$i/24" dev eth0
    ip -n "$p-n$i" link set eth0 up
    # pod: eth0 <-> node end with the link-local gateway
    ip -n "$p-n$i" link add "knv$i" mtu 1450 type veth peer name eth0 mtu 1450 netns "$p-p$i"
    ip -n "$p-n$i" addr add 169.254.1.1/32 dev "knv$i"
    ip -n "$p-n$i" link set "knv$i" up
    ip -n "$p-p$i" addr add "10.244.$((i - 1)).2/32" dev eth0
    ip -n "$p-p$i" link set eth0 up
    ip -n "$p-p$i" route add 169.254.1.1 dev eth0 scope link
    ip -n "$p-p$i" route add default via 169.254.1.1 dev eth0
    ip -n "$p-n$i" route add "10.244.$((i - 1)).2" dev "knv$i" scope link
    # VTEP
    ip -n "$p-n$i" link add knvx0 address "02:00:00:00:00:0$i" mtu 1450 type vxlan id 1 local "198.18.0.1$i" \
      dstport 4789 nolearning dev eth0
    ip -n "$p-n$i" addr add "10.244.$((i - 1)).0/32" dev knvx0
    ip -n "$p-n$i" link set knvx0 up
  done
  for i in 1 2; do
    other=$((3 - i))
    ip -n "$p-n$i" neigh replace "10.244.$((other - 1)).0" lladdr "02:00:00:00:00:0$other" dev knvx0 nud permanent
    bridge -n "$p-n$i" fdb append "02:00:00:00:00:0$other" dev knvx0 dst "198.18.0.1$other" self permanent
    ip -n "$p-n$i" route add "10.244.$((other - 1)).0/24" via "10.244.$((other - 1)).0" dev knvx0 onlink
  done
}

# kernel_vxlan_down PREFIX: removes the five namespaces (and with them every device).
kernel_vxlan_down() {
  local n
  for n in p1 n1 ul n2 p2; do ip netns del "$1-$n" 2>/dev/null || true; done
}

# kernel_vxlan PREFIX [IPERF_ARGS...]: one iperf run pod on node 2 -> pod on node 1 over a fresh topology.
kernel_vxlan() {
  local p=$1
  shift
  kernel_vxlan_down "$p"
  kernel_vxlan_up "$p" >/dev/null
  iperf "$p-p1" "$p-p2" 10.244.0.2 "$@"
  kernel_vxlan_down "$p"
}
