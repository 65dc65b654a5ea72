package dev.knet.dns.wire;

import dev.knet.dns.index.ResourceRecord;

import java.util.List;

/**
 * A response to encode. {@code question} is the raw question section to echo (empty for a
 * FORMERR to a packet whose question could not be read); {@code ednsPayload} is the size the
 * server advertises in its OPT record, or 0 to send none (the client sent none).
 */
public record DnsResponse(int id, int opcode, boolean recursionDesired, boolean recursionAvailable,
                          boolean authoritative, Rcode rcode, byte[] question,
                          List<ResourceRecord> answers, List<ResourceRecord> authority,
                          List<ResourceRecord> additional, int ednsPayload) {

    public DnsResponse {
        answers = List.copyOf(answers);
        authority = List.copyOf(authority);
        additional = List.copyOf(additional);
    }

    /** A response with no records, for errors and refusals. */
    public static DnsResponse empty(DnsQuery query, Rcode rcode, boolean recursionAvailable, int ednsPayload) {
        return new DnsResponse(query.id(), query.opcode(), query.recursionDesired(), recursionAvailable, false, rcode,
                query.questionBytes(), List.of(), List.of(), List.of(), ednsPayload);
    }
}
