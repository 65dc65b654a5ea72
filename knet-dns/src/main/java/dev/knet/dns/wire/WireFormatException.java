package dev.knet.dns.wire;

/** Malformed wire data; stackless because fuzzed input raises it by the thousand. */
final class WireFormatException extends Exception {
    WireFormatException(String message) {
        super(message, null, false, false);
    }
}
