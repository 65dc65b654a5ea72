package dev.knet.dataplane.route;

import dev.knet.dataplane.link.LinkNames;
import dev.knet.model.net.IpAddresses;

import java.util.Locale;

/** A permanent neighbour entry: {@code ip} is at {@code mac} on {@code dev}. */
public record Neighbour(String ip, String mac, String dev) {

    public Neighbour {
        ip = IpAddresses.format(IpAddresses.parse(ip));
        mac = mac.toLowerCase(Locale.ROOT);
        LinkNames.require(dev);
    }
}
