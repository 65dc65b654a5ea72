package dev.knet.dns.server;

import dev.knet.dns.wire.DnsResponse;

/** What answers a query: a response built here, or an upstream's message relayed as is. */
public sealed interface Reply {

    int rcode();

    record Local(DnsResponse response) implements Reply {
        @Override
        public int rcode() {
            return response.rcode().code();
        }
    }

    /** An upstream's reply, id already set to the client's. */
    record Relayed(byte[] message) implements Reply {
        @Override
        public int rcode() {
            return message.length >= 4 ? message[3] & 0xf : 2;
        }
    }
}
