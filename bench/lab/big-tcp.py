#!/usr/bin/env python3
"""Sets BIG TCP's limits on one link of the current network namespace, as knet sets them on its veths:
gso/gro max size for IPv6 and IPv4 (IFLA_GSO_MAX_SIZE, IFLA_GRO_MAX_SIZE, IFLA_GSO_IPV4_MAX_SIZE,
IFLA_GRO_IPV4_MAX_SIZE). iproute2 before 6.3 cannot set the IPv4 ones, hence this.
Run inside a knet namespace only: ip netns exec knet-... big-tcp.py DEV [BYTES]"""
import subprocess
import socket
import struct
import sys

# only inside a named knet namespace: `ip netns identify` names the one this process is in, if any
here = subprocess.run(["ip", "netns", "identify"], capture_output=True, text=True).stdout.strip()
if not here.startswith("knet-"):
    sys.exit("big-tcp.py: refusing to run outside a knet namespace (this one: %r)" % here)
dev = sys.argv[1]
size = int(sys.argv[2]) if len(sys.argv) > 2 else 196608


def attribute(kind, value):
    return struct.pack("HHI", 8, kind, value)


body = struct.pack("BBHiII", 0, 0, 0, socket.if_nametoindex(dev), 0, 0)
body += b"".join(attribute(kind, size) for kind in (41, 58, 63, 64))
RTM_NEWLINK, NLM_F_REQUEST, NLM_F_ACK = 16, 1, 4
request = struct.pack("IHHII", 16 + len(body), RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, 1, 0) + body
with socket.socket(socket.AF_NETLINK, socket.SOCK_RAW, 0) as s:
    s.send(request)
    error = struct.unpack("i", s.recv(4096)[16:20])[0]
if error:
    sys.exit(f"big-tcp.py: the kernel refused {dev}: errno {-error}")
