package dev.knet.dns.wire;

import java.util.Optional;

/**
 * A decoded query: header fields, the single question and the client's EDNS(0) OPT record.
 *
 * @param name          the question name as spelled, without the trailing dot ("" for the root)
 * @param plainName     false when a label holds bytes that cannot round-trip through text
 *                      (a dot, a space, control characters): such names are never answered locally
 * @param questionBytes the question section exactly as received, echoed back in responses
 */
public record DnsQuery(int id, int opcode, boolean recursionDesired, boolean checkingDisabled,
                       String name, boolean plainName, int type, int qclass, byte[] questionBytes,
                       Optional<Edns> edns) {

    /** The client's OPT pseudo-record (RFC 6891): payload size, version and the DO bit. */
    public record Edns(int udpPayloadSize, int version, boolean dnssecOk) {
    }
}
