package dev.knet.dns;

import dev.knet.dns.TestDnsClient.Answer;
import dev.knet.dns.TestDnsClient.Rr;
import dev.knet.model.net.IpAddresses;

import java.util.ArrayList;
import java.util.List;

/** Reads what {@code dig} prints into the answer form the conformance runner checks. */
public final class DigOutput {

    private DigOutput() {
    }

    /** The reply dig printed (the last one, when +search tried several names), in TestDnsClient's form. */
    public static Answer parse(String out) {
        int rcode = -1;
        boolean aa = false;
        boolean tc = false;
        List<List<Rr>> sections = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        List<Rr> current = null;
        for (String line : out.split("\n")) {
            if (line.contains("->>HEADER<<-")) {
                String status = line.replaceAll(".*status: ([A-Z0-9]+),.*", "$1");
                rcode = rcodeOf(status);
                // dig +search prints one block per name it tried: the last one is the answer
                sections.forEach(List::clear);
            } else if (line.startsWith(";; flags:")) {
                String flags = line.substring(9, line.indexOf(';', 9));
                aa = flags.matches(".*\\baa\\b.*");
                tc = flags.matches(".*\\btc\\b.*");
            } else if (line.startsWith(";; ANSWER SECTION:")) {
                current = sections.get(0);
            } else if (line.startsWith(";; AUTHORITY SECTION:")) {
                current = sections.get(1);
            } else if (line.startsWith(";; ADDITIONAL SECTION:")) {
                current = sections.get(2);
            } else if (line.isBlank() || line.startsWith(";")) {
                current = null;
            } else if (current != null) {
                current.add(record(line));
            }
        }
        if (rcode < 0) {
            throw new AssertionError("dig printed no reply:\n" + out);
        }
        return new Answer(rcode, aa, tc, List.copyOf(sections.get(0)), List.copyOf(sections.get(1)),
                List.copyOf(sections.get(2)), 0);
    }

    /** "name. 30 IN TYPE data..." in the form TestDnsClient reads records (addresses canonical, TXT unquoted). */
    private static Rr record(String line) {
        String[] f = line.trim().split("\\s+", 5);
        String type = f[3];
        String data = f.length > 4 ? f[4] : "";
        data = switch (type) {
            case "A", "AAAA" -> IpAddresses.format(IpAddresses.parse(data));
            case "TXT" -> data.replaceAll("^\"|\"$", "");
            default -> data;
        };
        return new Rr(f[0], type, Long.parseLong(f[1]), data);
    }

    private static int rcodeOf(String status) {
        for (dev.knet.dns.wire.Rcode r : dev.knet.dns.wire.Rcode.values()) {
            if (r.name().equals(status)) {
                return r.code();
            }
        }
        throw new AssertionError("unknown status " + status);
    }

}
