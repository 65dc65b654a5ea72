package dev.knet.dataplane.route;

import dev.knet.model.net.Cidr;

/**
 * A route in a namespace's main table. {@code dst} is a normalised prefix ("default" becomes
 * 0.0.0.0/0, a bare address a host prefix); {@code gateway}, {@code dev} and {@code src} may be
 * null. {@code onlink} tells the kernel the gateway is on the link even though no prefix says so.
 * Build with {@code Route.to("10.0.0.0/8").via("10.1.0.1").dev("eth0")}.
 */
public record Route(String dst, String gateway, String dev, String src, RouteScope scope, boolean onlink) {

    public Route {
        dst = normalise(dst);
    }

    public static Route to(String dst) {
        return new Route(dst, null, null, null, RouteScope.GLOBAL, false);
    }

    public Route via(String gw) {
        return new Route(dst, gw, dev, src, scope, onlink);
    }

    public Route dev(String device) {
        return new Route(dst, gateway, device, src, scope, onlink);
    }

    public Route src(String source) {
        return new Route(dst, gateway, dev, source, scope, onlink);
    }

    public Route scope(RouteScope newScope) {
        return new Route(dst, gateway, dev, src, newScope, onlink);
    }

    public Route asOnlink() {
        return new Route(dst, gateway, dev, src, scope, true);
    }

    public Cidr prefix() {
        return Cidr.parse(dst);
    }

    public boolean isIpv4() {
        return prefix().isIpv4();
    }

    static String normalise(String dst) {
        if (dst == null || dst.equals("default")) {
            return "0.0.0.0/0";
        }
        return Cidr.parse(dst).toString();
    }
}
