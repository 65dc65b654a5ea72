package dev.knet.proxy.server;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequestDecoder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Requests through decoder, shortcut and aggregator come out whole and unchanged, with or without a body. */
class BodilessRequestShortcutTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "GET without body   | GET /a HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n                                          | GET  | /a | ''",
            "POST with a length | POST /b HTTP/1.1\\r\\nHost: x\\r\\nContent-Length: 5\\r\\n\\r\\nhello                   | POST | /b | hello",
            "chunked PUT        | PUT /c HTTP/1.1\\r\\nHost: x\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n2\\r\\nhi\\r\\n0\\r\\n\\r\\n | PUT | /c | hi",
            "two GETs in a row  | GET /d HTTP/1.1\\r\\nHost: x\\r\\n\\r\\nGET /e HTTP/1.1\\r\\nHost: x\\r\\n\\r\\n         | GET  | /d | ''"})
    void wholeRequests(String name, String raw, String method, String uri, String body) {
        EmbeddedChannel channel = new EmbeddedChannel(new HttpRequestDecoder(), new BodilessRequestShortcut(),
                new HttpObjectAggregator(1024));
        channel.writeInbound(io.netty.buffer.Unpooled.copiedBuffer(raw.replace("\\r\\n", "\r\n"), StandardCharsets.ISO_8859_1));

        FullHttpRequest request = channel.readInbound();
        assertThat(request.method().name()).isEqualTo(method);
        assertThat(request.uri()).isEqualTo(uri);
        assertThat(request.headers().get("host")).isEqualTo("x");
        assertThat(request.content().toString(StandardCharsets.UTF_8)).isEqualTo(body);
        request.release();
        if (name.startsWith("two")) {
            FullHttpRequest second = channel.readInbound();
            assertThat(second.uri()).isEqualTo("/e");
            second.release();
        }
        assertThat((Object) channel.readInbound()).isNull();
        channel.finishAndReleaseAll();
    }
}
