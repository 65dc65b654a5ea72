package dev.knet.cni.plugin;

/** An address given to a pod: {@code ip} with the subnet's prefix length and the subnet's gateway. */
public record Allocation(String ip, int prefixLength, String gateway) {

    public String cidr() {
        return ip + "/" + prefixLength;
    }
}
