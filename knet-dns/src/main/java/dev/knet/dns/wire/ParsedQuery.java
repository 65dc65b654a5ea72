package dev.knet.dns.wire;

/** The outcome of decoding one packet. */
public sealed interface ParsedQuery {

    record Valid(DnsQuery query) implements ParsedQuery {
    }

    /** The header was readable but the rest was not: answer FORMERR with this id and opcode. */
    record Malformed(int id, int opcode, boolean recursionDesired, String reason) implements ParsedQuery {
    }

    /** Not worth an answer: too short to hold a header, or a response rather than a query. */
    record Dropped(String reason) implements ParsedQuery {
    }
}
