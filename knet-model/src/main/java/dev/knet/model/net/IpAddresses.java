package dev.knet.model.net;

import java.math.BigInteger;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** Parsing and formatting of literal IP addresses, never touching DNS. */
public final class IpAddresses {

    private IpAddresses() {
    }

    /** Parses a literal IPv4 (dotted quad) or IPv6 address; rejects names and malformed text. */
    public static byte[] parse(String text) {
        String t = text.trim();
        byte[] ipv4 = new byte[4];
        if (parseIpv4(t, 0, t.length(), ipv4, 0)) {
            return ipv4;
        }
        if (t.contains(":") && t.matches("[0-9a-fA-F:.]+")) {
            try {
                return InetAddress.getByName(t).getAddress();
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("invalid IP address \"" + text + "\"", e);
            }
        }
        throw new IllegalArgumentException("invalid IP address \"" + text + "\"");
    }

    /**
     * Reads the dotted quad in {@code text[from, end)} (decimal octets up to 255, no leading zeros) into
     * {@code out[at..at+3]}; false, with {@code out} partly written, for anything else. A plain scan without
     * substrings or regular expressions: the node agent reads tens of thousands of addresses at start.
     */
    public static boolean parseIpv4(CharSequence text, int from, int end, byte[] out, int at) {
        int octet = 0;
        int value = 0;
        int digits = 0;
        for (int i = from; i <= end; i++) {
            char c = i == end ? '.' : text.charAt(i);
            if (c == '.') {
                if (digits == 0 || octet > 3) {
                    return false;
                }
                out[at + octet++] = (byte) value;
                value = 0;
                digits = 0;
            } else if (c >= '0' && c <= '9' && !(digits == 1 && value == 0)) {
                value = value * 10 + (c - '0');
                digits++;
                if (value > 255) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return octet == 4;
    }

    public static boolean isValid(String text) {
        try {
            parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    public static boolean isIpv4(String text) {
        return parse(text).length == 4;
    }

    public static String format(byte[] address) {
        if (address.length == 4) {
            return (address[0] & 0xff) + "." + (address[1] & 0xff) + "." + (address[2] & 0xff) + "." + (address[3] & 0xff);
        }
        if (address.length == 16 && isV4Mapped(address)) {
            // Java turns ::ffff:a.b.c.d into an Inet4Address, which has no IPv6 spelling
            return "::ffff:" + format(java.util.Arrays.copyOfRange(address, 12, 16));
        }
        try {
            String s = ((Inet6Address) InetAddress.getByAddress(address)).getHostAddress();
            return compress(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static boolean isV4Mapped(byte[] a) {
        for (int i = 0; i < 10; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[10] == (byte) 0xff && a[11] == (byte) 0xff;
    }

    /** Java prints 0:0:0:0:0:0:0:1; Kubernetes and ip(8) print ::1. */
    private static String compress(String full) {
        String[] groups = full.split(":");
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < groups.length; ) {
            if (groups[i].equals("0")) {
                int j = i;
                while (j < groups.length && groups[j].equals("0")) {
                    j++;
                }
                if (j - i > bestLen && j - i > 1) {
                    bestStart = i;
                    bestLen = j - i;
                }
                i = j;
            } else {
                i++;
            }
        }
        if (bestStart < 0) {
            return full;
        }
        String left = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String right = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
        return left + "::" + right;
    }

    static byte[] fromBigInteger(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        return out;
    }
}
