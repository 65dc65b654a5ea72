package dev.knet.proxy.server;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One line per request on the SLF4J logger "knet.access". */
final class AccessLog {

    private static final Logger LOG = LoggerFactory.getLogger("knet.access");

    private AccessLog() {
    }

    record Entry(String client, String method, String uri, String protocol, String host, int status, long bytes,
                 long nanos, String route, String upstream) {
    }

    static void log(Entry e) {
        if (LOG.isInfoEnabled()) {
            LOG.info("{} \"{} {} {}\" {} {} {}ms host={} route={} upstream={}", e.client(), e.method(), e.uri(),
                    e.protocol(), e.status(), e.bytes(), e.nanos() / 1_000_000, e.host(), e.route(), e.upstream());
        }
    }
}
