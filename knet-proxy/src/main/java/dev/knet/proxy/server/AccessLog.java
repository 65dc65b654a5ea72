package dev.knet.proxy.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;

/**
 * One line per request on the SLF4J logger "knet.access". Callers check enabled() before building
 * an entry, so a disabled access log costs nothing per request; an enabled one should go through
 * an asynchronous appender so the event loop never waits on the disk.
 */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("knet.access");

    private AccessLog() {
    }

    record Entry(String client, String method, String uri, String protocol, String host, int status, long bytes,
                 long nanos, String route, String upstream) {
    }

    static boolean enabled() {
        return LOG.isInfoEnabled();
    }

    static void log(Entry e) {
        if (LOG.isInfoEnabled()) {
            LOG.info("{} \"{} {} {}\" {} {} {}ms host={} route={} upstream={}", e.client(), e.method(), e.uri(),
                    e.protocol(), e.status(), e.bytes(), e.nanos() / 1_000_000, e.host(), e.route(), e.upstream());
        }
    }

    /** "ip:port" of an endpoint, as logged and as named in error answers. */
    static String address(InetSocketAddress endpoint) {
        return endpoint.getAddress().getHostAddress() + ":" + endpoint.getPort();
    }
}
