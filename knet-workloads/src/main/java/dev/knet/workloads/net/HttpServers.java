package dev.knet.workloads.net;

import dev.knet.workloads.pod.PodSockets;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;

import java.io.IOException;
import java.net.InetSocketAddress;

/** Starts a workload's HTTP/1.1 server on a pod's socket. */
public final class HttpServers {

    private static final int MAX_BODY = 1 << 20;

    private HttpServers() {
    }

    public static Channel bind(PodSockets sockets, InetSocketAddress address, HttpEndpoint endpoint) throws IOException {
        return sockets.bindTcp(address, new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_BODY),
                        new HttpServerHandler(endpoint));
            }
        });
    }
}
