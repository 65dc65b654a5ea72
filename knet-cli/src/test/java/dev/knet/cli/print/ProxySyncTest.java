package dev.knet.cli.print;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Instant;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class ProxySyncTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:01:00Z");

    record Row(String metrics, String described) {
    }

    static Stream<Named<Row>> rows() {
        return Stream.of(
                Named.of("synced, no failures", new Row("""
                        # HELP knet_proxy_last_successful_sync_seconds unix time of the last successful sync
                        # TYPE knet_proxy_last_successful_sync_seconds gauge
                        knet_proxy_last_successful_sync_seconds 1.767225656E9
                        # TYPE knet_proxy_sync_failures_total counter
                        knet_proxy_sync_failures_total 0.0
                        """, "synced 4s ago")),
                Named.of("synced after failures", new Row("""
                        knet_proxy_last_successful_sync_seconds 1.76722563E9
                        knet_proxy_sync_failures_total 2.0
                        """, "synced 30s ago, 2 failed syncs")),
                Named.of("before the first sync the gauge is 0", new Row("""
                        knet_proxy_last_successful_sync_seconds 0.0
                        knet_proxy_sync_failures_total 1.0
                        """, "not synced yet, 1 failed sync")),
                Named.of("other meters and labels are ignored", new Row("""
                        knet_proxy_rules 42.0
                        knet_proxy_sync_duration_seconds_count{kind="full"} 3.0
                        knet_proxy_last_successful_sync_seconds 1.767225540E9
                        """, "synced 2m ago")),
                Named.of("no proxy meters at all", new Row("jvm_threads_live 12.0\n", "not synced yet")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void describesTheLastSync(Row row) {
        assertThat(ProxySync.parse(row.metrics()).describe(NOW)).isEqualTo(row.described());
    }
}
