package dev.knet.agent.services;

/** A DNAT target: an endpoint address and the target port for one service port. */
public record Backend(String ip, int port, boolean isLocal) implements Comparable<Backend> {

    @Override
    public int compareTo(Backend o) {
        int c = ip.compareTo(o.ip);
        return c != 0 ? c : Integer.compare(port, o.port);
    }

    public String nft() {
        return ip + " . " + port;
    }
}
