package dev.knet.dns.index;

import dev.knet.model.net.IpAddresses;

import java.util.Locale;

/** Name helpers: normal form (lower case, no trailing dot), reverse names and dashed addresses. */
public final class DnsNames {

    private DnsNames() {
    }

    /** Lower case without the trailing dot; the root is the empty string. */
    public static String normalize(String name) {
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        return n.toLowerCase(Locale.ROOT);
    }

    /** The in-addr.arpa or ip6.arpa name of a literal address (RFC 1035 3.5, RFC 3596 2.5). */
    public static String reverseName(byte[] address) {
        StringBuilder sb = new StringBuilder();
        if (address.length == 4) {
            for (int i = 3; i >= 0; i--) {
                sb.append(address[i] & 0xff).append('.');
            }
            return sb.append("in-addr.arpa").toString();
        }
        for (int i = address.length - 1; i >= 0; i--) {
            int b = address[i] & 0xff;
            sb.append(Character.forDigit(b & 0xf, 16)).append('.').append(Character.forDigit(b >> 4, 16)).append('.');
        }
        return sb.append("ip6.arpa").toString();
    }

    /** The dashed form used in pod names and generated endpoint hostnames: 10-3-0-102, 2001-db8--1. */
    public static String dashed(byte[] address) {
        return IpAddresses.format(address).replace('.', '-').replace(':', '-');
    }

    /** Parses a dashed label back to an address, or null when it is not one. */
    public static byte[] fromDashed(String label) {
        if (label.isEmpty() || label.length() > 45) {
            return null;
        }
        String text = label.chars().filter(c -> c == '-').count() == 3 && label.matches("[0-9-]+")
                ? label.replace('-', '.')
                : label.replace('-', ':');
        try {
            return IpAddresses.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    public static boolean isReverse(String name) {
        return name.endsWith(".in-addr.arpa") || name.endsWith(".ip6.arpa")
                || name.equals("in-addr.arpa") || name.equals("ip6.arpa");
    }

    /** Whether name equals the zone or lies below it. */
    public static boolean inZone(String name, String zone) {
        // Without building "." + zone: this runs for every query.
        int at = name.length() - zone.length();
        return name.endsWith(zone) && (at == 0 || (at > 0 && name.charAt(at - 1) == '.'));
    }
}
