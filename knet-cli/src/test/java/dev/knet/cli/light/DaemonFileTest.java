package dev.knet.cli.light;

import dev.knet.cli.lab.DaemonInfo;
import dev.knet.cli.lab.DaemonLiveness;
import dev.knet.cli.lab.DaemonMain;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The light client's daemon.json reader: what the daemon writes, other JSON spellings, and broken files. */
class DaemonFileTest {

    @TempDir
    Path dir;

    @Test
    void readsWhatTheDaemonWrites() throws Exception {
        new DaemonInfo(4242, "http://127.0.0.1:35217", "lab \"one\"", "vxlan", 3, "2025-01-01T00:00:00Z",
                "http://127.0.0.1:35218/knet/tables").write(dir);
        assertThat(DaemonFile.parse(Files.readString(dir.resolve(DaemonInfo.FILE))))
                .isEqualTo(new DaemonFile(4242, "http://127.0.0.1:35217", "http://127.0.0.1:35218/knet/tables"));
    }

    @Test
    void aFileOfAnOlderDaemonHasNoTablesUrl() throws Exception {
        new DaemonInfo(7, "http://127.0.0.1:1", "lab", "bridge", 1, "2025-01-01T00:00:00Z", null).write(dir);
        assertThat(DaemonFile.parse(Files.readString(dir.resolve(DaemonInfo.FILE))).tablesUrl()).isNull();
    }

    @Test
    void theLivenessCheckNamesTheDaemonsMainClass() {
        assertThat(DaemonLiveness.DAEMON_MAIN).isEqualTo(DaemonMain.class.getName());
    }

    static Stream<Arguments> spellings() {
        return Stream.of(
                Arguments.of("compact", "{\"pid\":12,\"apiUrl\":\"http://a\",\"tablesUrl\":\"http://b\"}",
                        new DaemonFile(12, "http://a", "http://b")),
                Arguments.of("pretty, other field order", "{\n  \"tablesUrl\" : \"http://b\",\n  \"pid\" : 12,\n"
                        + "  \"apiUrl\" : \"http://a\"\n}\n", new DaemonFile(12, "http://a", "http://b")),
                Arguments.of("escapes", "{\"pid\":1,\"apiUrl\":\"http:\\/\\/a\\u0041\\\"\\\\\",\"tablesUrl\":null}",
                        new DaemonFile(1, "http://aA\"\\", null)),
                Arguments.of("nested and unknown fields skipped", "{\"x\":{\"y\":[1,{\"z\":\"}\"}],\"w\":{}},"
                        + "\"pid\":5,\"nodes\":3,\"ok\":true,\"f\":-1.5e3,\"l\":[],\"apiUrl\":\"u\"}",
                        new DaemonFile(5, "u", null)),
                Arguments.of("unicode text", "{\"pid\":9,\"apiUrl\":\"ü→\",\"clusterName\":\"ö\"}",
                        new DaemonFile(9, "ü→", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("spellings")
    void readsJsonSpellings(String name, String json, DaemonFile expected) throws Exception {
        assertThat(DaemonFile.parse(json)).isEqualTo(expected);
    }

    static Stream<Arguments> broken() {
        return Stream.of(
                Arguments.of("empty", ""),
                Arguments.of("not an object", "[1]"),
                Arguments.of("half written", "{\"pid\":12,\"apiUrl\":\"http://a"),
                Arguments.of("no pid", "{\"apiUrl\":\"http://a\"}"),
                Arguments.of("pid as text", "{\"pid\":\"12\"}"),
                Arguments.of("fractional pid", "{\"pid\":1.5}"),
                Arguments.of("apiUrl not text", "{\"pid\":1,\"apiUrl\":3}"),
                Arguments.of("missing comma", "{\"pid\":1 \"apiUrl\":\"a\"}"),
                Arguments.of("bare word", "{\"pid\":1,\"apiUrl\":nope}"),
                Arguments.of("text after the object", "{\"pid\":1}x"),
                Arguments.of("bad escape", "{\"pid\":1,\"apiUrl\":\"\\q\"}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("broken")
    void rejectsBrokenFiles(String name, String json) {
        assertThatThrownBy(() -> DaemonFile.parse(json)).isInstanceOf(DaemonFile.MalformedException.class);
    }
}
