package dev.knet.dataplane.nflog;

import java.util.Objects;

/**
 * One packet a {@code log ... group N} rule logged: the rule's prefix (e.g. "knet-drop:3 "), the addresses and
 * protocol from the copied IP header and, for TCP, UDP and SCTP, the ports from the L4 header.
 *
 * @param srcPort   -1 when the packet has no ports (ICMP, a later fragment, an L4 header cut off by the copy range)
 * @param inIfindex 0 when the kernel gave none (likewise {@code outIfindex})
 */
public record NflogPacket(String prefix, IpProtocol protocol, String srcIp, int srcPort, String dstIp, int dstPort,
                          int inIfindex, int outIfindex) {

    public NflogPacket {
        Objects.requireNonNull(prefix, "prefix");
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(srcIp, "srcIp");
        Objects.requireNonNull(dstIp, "dstIp");
    }

    public boolean hasPorts() {
        return srcPort >= 0 && dstPort >= 0;
    }
}
