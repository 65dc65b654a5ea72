package dev.knet.workloads.net;

import dev.knet.workloads.pod.PodSockets;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.BiFunction;

/** A UDP server that answers each datagram with whatever the workload's function returns (or nothing). */
public final class UdpCommandServer {

    private UdpCommandServer() {
    }

    /** {@code answer} gets the datagram's text and sender; an empty result sends no reply. */
    public static Channel bind(PodSockets sockets, InetSocketAddress address,
                               BiFunction<String, InetSocketAddress, Optional<String>> answer) throws IOException {
        return sockets.bindUdp(address, new SimpleChannelInboundHandler<DatagramPacket>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                String text = packet.content().toString(StandardCharsets.UTF_8);
                answer.apply(text, packet.sender()).ifPresent(reply -> ctx.writeAndFlush(new DatagramPacket(
                        Unpooled.copiedBuffer(reply, StandardCharsets.UTF_8), packet.sender())));
            }
        });
    }
}
