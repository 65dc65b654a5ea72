package dev.knet.dns.index;

import java.util.List;
import java.util.Map;

/**
 * One endpoint of a headless Service as DNS sees it: its addresses, its hostname (null when the
 * object gave none) and the port numbers by port name that clients connect to directly.
 */
record DnsEndpoint(List<byte[]> addresses, String hostname, Map<String, Integer> portsByName) {
}
