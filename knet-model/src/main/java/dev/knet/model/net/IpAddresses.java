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
        if (t.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            byte[] out = new byte[4];
            String[] parts = t.split("\\.");
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255 || (parts[i].length() > 1 && parts[i].startsWith("0"))) {
                    throw new IllegalArgumentException("invalid IP address \"" + text + "\"");
                }
                out[i] = (byte) v;
            }
            return out;
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
        try {
            String s = ((Inet6Address) InetAddress.getByAddress(address)).getHostAddress();
            return compress(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
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
