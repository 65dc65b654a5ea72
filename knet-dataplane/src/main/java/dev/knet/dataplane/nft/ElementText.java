package dev.knet.dataplane.nft;

import dev.knet.dataplane.netlink.NfElementOp;
import dev.knet.model.net.IpAddresses;

import java.util.List;
import java.util.Optional;

/**
 * Reads the element text knet writes ("10.96.0.10 . tcp . 80 . 0", "goto svc-2") into the bytes nft would send:
 * addresses and ports in network order, protocols as one byte, numbers in host order (numgen's output), each
 * field of a concatenation padded to 4 bytes. Anything else gives null (or empty): not an error here, the text
 * path then reads it.
 */
final class ElementText {

    private static final boolean LITTLE_ENDIAN = java.nio.ByteOrder.nativeOrder() == java.nio.ByteOrder.LITTLE_ENDIAN;
    private static final java.util.regex.Pattern CHAIN = java.util.regex.Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private ElementText() {
    }

    /**
     * The key or value bytes, or null when the text does not fit the fields. Parsed in place, without
     * substrings or regular expressions: at agent start this runs for 70,000 elements in a JVM still warming up.
     */
    static byte[] encode(List<NftElementCodec.Field> fields, String text) {
        int n = fields.size();
        boolean concat = n > 1;
        byte[] out = new byte[concat ? 4 * n : fields.getFirst().bytes];
        int from = 0;
        int at = 0;
        for (int i = 0; i < n; i++) {
            NftElementCodec.Field field = fields.get(i);
            int end = i == n - 1 ? text.length() : text.indexOf(" . ", from);
            if (end < 0 || !write(field, text, from, end, out, at)) {
                return null;
            }
            at += concat ? 4 : field.bytes;
            from = end + 3;
        }
        return out;
    }

    private static boolean write(NftElementCodec.Field field, String text, int from, int end, byte[] out, int at) {
        switch (field) {
            case IPV4 -> {
                return IpAddresses.parseIpv4(text, from, end, out, at);
            }
            case PROTOCOL -> {
                long p = protocol(text, from, end);
                out[at] = (byte) p;
                return p >= 0;
            }
            case PORT -> {
                long port = number(text, from, end, 65535);
                out[at] = (byte) (port >> 8);
                out[at + 1] = (byte) port;
                return port >= 0;
            }
            case NUMBER -> {
                long v = number(text, from, end, 0xFFFF_FFFFL);
                for (int b = 0; b < 4; b++) {
                    out[at + (LITTLE_ENDIAN ? b : 3 - b)] = (byte) (v >> (8 * b));
                }
                return v >= 0;
            }
        }
        return false;
    }

    private static long protocol(String text, int from, int end) {
        int length = end - from;
        if (length == 3 && text.startsWith("tcp", from)) {
            return 6;
        }
        if (length == 3 && text.startsWith("udp", from)) {
            return 17;
        }
        if (length == 4 && text.startsWith("sctp", from)) {
            return 132;
        }
        if (length == 4 && text.startsWith("icmp", from)) {
            return 1;
        }
        return number(text, from, end, 255);
    }

    /** A plain decimal in 0..max, or -1. */
    private static long number(String text, int from, int end, long max) {
        if (end <= from || end - from > 10) {
            return -1;
        }
        long v = 0;
        for (int i = from; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v <= max ? v : -1;
    }

    /** A verdict as nft writes it in a map: drop, accept, return, continue, jump CHAIN, goto CHAIN. */
    static Optional<NfElementOp.Data> verdict(String text) {
        String[] words = text.trim().split(" ", -1);
        if (words.length == 1) {
            return switch (words[0]) {
                case "drop" -> Optional.of(new NfElementOp.Verdict(NfElementOp.Verdict.DROP, null));
                case "accept" -> Optional.of(new NfElementOp.Verdict(NfElementOp.Verdict.ACCEPT, null));
                case "return" -> Optional.of(new NfElementOp.Verdict(NfElementOp.Verdict.RETURN, null));
                case "continue" -> Optional.of(new NfElementOp.Verdict(NfElementOp.Verdict.CONTINUE, null));
                default -> Optional.empty();
            };
        }
        if (words.length == 2 && CHAIN.matcher(words[1]).matches()) {
            return switch (words[0]) {
                case "jump" -> Optional.of(new NfElementOp.Verdict(NfElementOp.Verdict.JUMP, words[1]));
                case "goto" -> Optional.of(new NfElementOp.Verdict(NfElementOp.Verdict.GOTO, words[1]));
                default -> Optional.empty();
            };
        }
        return Optional.empty();
    }
}
