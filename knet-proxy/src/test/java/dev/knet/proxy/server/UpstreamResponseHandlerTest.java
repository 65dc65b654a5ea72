package dev.knet.proxy.server;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Promise;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The endpoint-side aggregation: bodies in one or many chunks, the size bound, buffers released. */
class UpstreamResponseHandlerTest {

    static Stream<Arguments> rows() {
        return Stream.of(
                Arguments.of("body in the last chunk", List.of("hello"), 100, "hello"),
                Arguments.of("body in three chunks", List.of("he", "ll", "o"), 100, "hello"),
                Arguments.of("empty body", List.of(), 100, ""),
                Arguments.of("body over the bound", List.of("hello", "world"), 8, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void aggregates(String name, List<String> chunks, int maxBody, String expected) {
        UpstreamResponseHandler handler = new UpstreamResponseHandler(maxBody);
        EmbeddedChannel channel = new EmbeddedChannel(handler);
        Promise<FullHttpResponse> promise = channel.eventLoop().newPromise();
        ChannelHandlerContext ctx = channel.pipeline().context(handler);
        handler.begin(ctx, promise, 60_000);
        List<ByteBuf> sent = new ArrayList<>();

        channel.writeInbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        for (int i = 0; i < chunks.size(); i++) {
            ByteBuf buf = Unpooled.copiedBuffer(chunks.get(i), StandardCharsets.UTF_8);
            sent.add(buf);
            boolean last = i == chunks.size() - 1;
            channel.writeInbound(last ? new DefaultLastHttpContent(buf) : new DefaultHttpContent(buf));
        }
        if (chunks.isEmpty()) {
            channel.writeInbound(LastHttpContent.EMPTY_LAST_CONTENT);
        }

        if (expected == null) {
            assertThat(promise.isSuccess()).isFalse();
            assertThat(promise.cause()).hasMessageContaining("larger than " + maxBody);
            assertThat(channel.isOpen()).isFalse();
        } else {
            FullHttpResponse response = promise.getNow();
            assertThat(response.content().toString(StandardCharsets.UTF_8)).isEqualTo(expected);
            response.release();
        }
        assertThat(sent).allSatisfy(b -> assertThat(b.refCnt()).isZero());
        channel.finishAndReleaseAll();
    }
}
