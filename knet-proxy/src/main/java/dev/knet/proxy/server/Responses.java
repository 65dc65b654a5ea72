package dev.knet.proxy.server;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;

import java.nio.charset.StandardCharsets;
import java.util.Date;

/** Responses the proxy writes itself, each with a plain-text body saying why. */
final class Responses {

    private Responses() {
    }

    static FullHttpResponse text(HttpResponseStatus status, String body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(body.endsWith("\n") ? body : body + "\n", StandardCharsets.UTF_8));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8")
                .setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes())
                .set(HttpHeaderNames.SERVER, "knet")
                .set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        return response;
    }

    /** The answer to a request the codec could not decode. */
    static FullHttpResponse forDecoderFailure(Throwable cause) {
        return switch (cause) {
            case TooLongHttpHeaderException e -> text(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "request header fields too large");
            case TooLongHttpLineException e -> text(HttpResponseStatus.REQUEST_URI_TOO_LONG, "request line too long");
            case TooLongFrameException e -> text(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE,
                    "request header fields too large");
            default -> text(HttpResponseStatus.BAD_REQUEST, "bad request: "
                    + (cause == null || cause.getMessage() == null ? "malformed" : cause.getMessage().lines().findFirst().orElse("")));
        };
    }
}
