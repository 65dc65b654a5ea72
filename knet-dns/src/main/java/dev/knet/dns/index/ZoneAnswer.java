package dev.knet.dns.index;

import java.util.List;

/** What the zone says about one question. */
public sealed interface ZoneAnswer {

    /** An authoritative answer: records found (NOERROR), NODATA (NOERROR, empty) or NXDOMAIN. */
    record Authoritative(Outcome outcome, List<ResourceRecord> answers, List<ResourceRecord> authority,
                         List<ResourceRecord> additional) implements ZoneAnswer {
        public Authoritative {
            answers = List.copyOf(answers);
            authority = List.copyOf(authority);
            additional = List.copyOf(additional);
        }
    }

    /**
     * The name is an alias (an ExternalName Service) whose target lies outside the zone: the
     * server may chase {@code target} upstream and append what it finds after {@code chain}.
     */
    record Alias(List<ResourceRecord> chain, String target) implements ZoneAnswer {
        public Alias {
            chain = List.copyOf(chain);
        }
    }

    /** Not ours: neither the cluster zone nor a reverse name of a known address. */
    record NotInZone() implements ZoneAnswer {
    }

    enum Outcome { FOUND, NODATA, NXDOMAIN }
}
