package dev.knet.dns.index;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.util.List;
import java.util.Objects;

/** The data of one resource record; the closed set of types the cluster zone serves. */
public sealed interface RecordData {

    /** The RR TYPE code on the wire (RFC 1035 and successors). */
    int type();

    record A(Inet4Address address) implements RecordData {
        public A {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public int type() {
            return RecordTypes.A;
        }
    }

    record Aaaa(Inet6Address address) implements RecordData {
        public Aaaa {
            Objects.requireNonNull(address, "address");
        }

        @Override
        public int type() {
            return RecordTypes.AAAA;
        }
    }

    record Cname(String target) implements RecordData {
        @Override
        public int type() {
            return RecordTypes.CNAME;
        }
    }

    record Ptr(String target) implements RecordData {
        @Override
        public int type() {
            return RecordTypes.PTR;
        }
    }

    record Ns(String host) implements RecordData {
        @Override
        public int type() {
            return RecordTypes.NS;
        }
    }

    record Srv(int priority, int weight, int port, String target) implements RecordData {
        @Override
        public int type() {
            return RecordTypes.SRV;
        }
    }

    record Txt(List<String> strings) implements RecordData {
        public Txt {
            strings = List.copyOf(strings);
        }

        @Override
        public int type() {
            return RecordTypes.TXT;
        }
    }

    record Soa(String mname, String rname, long serial, int refresh, int retry, int expire, int minimum)
            implements RecordData {
        @Override
        public int type() {
            return RecordTypes.SOA;
        }
    }
}
