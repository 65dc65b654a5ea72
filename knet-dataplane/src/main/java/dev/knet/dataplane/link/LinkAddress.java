package dev.knet.dataplane.link;

import dev.knet.model.net.Cidr;
import dev.knet.model.net.IpAddresses;

/** An address on a link, e.g. 10.244.1.5/24 (the address keeps its host bits, unlike a Cidr). */
public record LinkAddress(String address, int prefixLength, AddressScope scope) {

    public LinkAddress {
        address = IpAddresses.format(IpAddresses.parse(address));
        int max = IpAddresses.isIpv4(address) ? 32 : 128;
        if (prefixLength < 0 || prefixLength > max) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range for " + address);
        }
    }

    /** Parses "a.b.c.d/n" (a bare address is a host address) with global scope. */
    public static LinkAddress parse(String text) {
        int slash = text.indexOf('/');
        if (slash < 0) {
            return new LinkAddress(text, IpAddresses.isIpv4(text) ? 32 : 128, AddressScope.GLOBAL);
        }
        return new LinkAddress(text.substring(0, slash), Integer.parseInt(text.substring(slash + 1)), AddressScope.GLOBAL);
    }

    public LinkAddress withScope(AddressScope newScope) {
        return new LinkAddress(address, prefixLength, newScope);
    }

    public boolean isIpv4() {
        return IpAddresses.isIpv4(address);
    }

    /** The connected prefix this address implies. */
    public Cidr network() {
        return new Cidr(IpAddresses.parse(address), prefixLength);
    }

    public String cidr() {
        return address + "/" + prefixLength;
    }

    /** Same address and length; scope is an attribute, not identity (the kernel matches the same way). */
    public boolean sameAs(LinkAddress other) {
        return address.equals(other.address) && prefixLength == other.prefixLength;
    }

    @Override
    public String toString() {
        return cidr() + (scope == AddressScope.GLOBAL ? "" : " scope " + scope.ipName());
    }
}
