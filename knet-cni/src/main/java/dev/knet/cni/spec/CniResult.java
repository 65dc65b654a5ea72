package dev.knet.cni.spec;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** The success result of ADD (spec 1.1: interfaces, ips, routes, dns). */
public record CniResult(String cniVersion, List<Interface> interfaces, List<Ip> ips, List<Route> routes, Dns dns) {

    public CniResult {
        interfaces = interfaces == null ? List.of() : List.copyOf(interfaces);
        ips = ips == null ? List.of() : List.copyOf(ips);
        routes = routes == null ? List.of() : List.copyOf(routes);
    }

    /** An interface created; {@code sandbox} is the netns path for the container side, absent on the host side. */
    public record Interface(String name, String mac, Integer mtu, String sandbox, String socketPath,
                            @JsonProperty("pciID") String pciId) {

        public static Interface of(String name, String mac, Integer mtu, String sandbox) {
            return new Interface(name, mac, mtu, sandbox, null, null);
        }
    }

    /** An address in CIDR form; {@code interfaceIndex} points into {@code interfaces}. */
    public record Ip(String address, String gateway, @JsonProperty("interface") Integer interfaceIndex) {
    }

    public record Route(String dst, String gw, Integer mtu, Integer advmss, Integer priority, Integer table,
                        Integer scope) {

        public static Route of(String dst, String gw) {
            return new Route(dst, gw, null, null, null, null, null);
        }
    }

    public record Dns(List<String> nameservers, String domain, List<String> search, List<String> options) {
    }

    public CniResult withVersion(String version) {
        return new CniResult(version, interfaces, ips, routes, dns);
    }
}
