#!/usr/bin/env bash
# The system tools knet's lab and its tests use, from Debian's packages.
#   lab-tools.sh check   -> lists what is missing (exit 1 if anything is)
#   lab-tools.sh ensure  -> installs what is missing when root with apt-get, else says exactly what is missing
set -euo pipefail
# command-or-file:package
TOOLS="ip:iproute2 bridge:iproute2 nft:nftables /usr/lib/cni/bridge:containernetworking-plugins
bird:bird2 dig:bind9-dnsutils dnsmasq:dnsmasq-base unbound:unbound dnsperf:dnsperf nginx:nginx-light
haproxy:haproxy wrk:wrk hey:hey iperf3:iperf3 conntrack:conntrack python3:python3 /usr/lib/x86_64-linux-gnu/libnftables.so.1:libnftables1"
missing_packages() {
  local t c p out=""
  for t in $TOOLS; do
    c=${t%%:*}; p=${t##*:}
    if [[ $c == /* ]]; then [ -e "$c" ] && continue; else command -v "$c" >/dev/null 2>&1 && continue; fi
    case " $out " in *" $p "*) ;; *) out="$out $p";; esac
  done
  echo "$out"
}
missing=$(missing_packages)
case "${1:-check}" in
  check)
    if [ -n "$missing" ]; then echo "missing Debian packages:$missing"; exit 1; fi
    echo "all lab tools present";;
  ensure)
    [ -z "$missing" ] && exit 0
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      echo "installing lab tools:$missing" >&2
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq >/dev/null
      # shellcheck disable=SC2086
      apt-get install -y -qq $missing >/dev/null
    else
      echo "The lab tests need these Debian packages, which are missing:$missing" >&2
      echo "Install them as root: apt-get install -y$missing (lab tests skip without them; unit tests still run)." >&2
    fi;;
esac
