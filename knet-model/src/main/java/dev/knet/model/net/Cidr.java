package dev.knet.model.net;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;

/**
 * An IPv4 or IPv6 prefix such as 10.244.0.0/16. The base address is normalised (host bits zero).
 * Addresses inside are reached by index, which is what the allocators need.
 */
public record Cidr(byte[] base, int prefixLength) {

    public Cidr {
        if (base.length != 4 && base.length != 16) {
            throw new IllegalArgumentException("address must be 4 or 16 bytes");
        }
        if (prefixLength < 0 || prefixLength > base.length * 8) {
            throw new IllegalArgumentException("prefix length " + prefixLength + " out of range");
        }
        base = mask(base.clone(), prefixLength);
    }

    /** Parses "a.b.c.d/n" or "x::y/n"; a plain address is a host prefix. Rejects hostnames. */
    public static Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        String addr = slash < 0 ? t : t.substring(0, slash);
        byte[] bytes = IpAddresses.parse(addr);
        int prefix;
        if (slash < 0) {
            prefix = bytes.length * 8;
        } else {
            String p = t.substring(slash + 1);
            if (!p.matches("\\d{1,3}")) {
                throw new IllegalArgumentException("invalid CIDR \"" + text + "\": bad prefix length");
            }
            prefix = Integer.parseInt(p);
            if (prefix > bytes.length * 8) {
                throw new IllegalArgumentException("invalid CIDR \"" + text + "\": prefix length " + prefix
                        + " exceeds " + bytes.length * 8);
            }
        }
        return new Cidr(bytes, prefix);
    }

    public boolean isIpv4() {
        return base.length == 4;
    }

    public int bits() {
        return base.length * 8;
    }

    /** Number of addresses, saturated at Long.MAX_VALUE for huge IPv6 prefixes. */
    public long size() {
        int hostBits = bits() - prefixLength;
        return hostBits >= 63 ? Long.MAX_VALUE : 1L << hostBits;
    }

    public boolean contains(byte[] address) {
        if (address.length != base.length) {
            return false;
        }
        return Arrays.equals(mask(address.clone(), prefixLength), base);
    }

    public boolean contains(String address) {
        return contains(IpAddresses.parse(address));
    }

    public boolean contains(Cidr other) {
        return other.base.length == base.length && other.prefixLength >= prefixLength && contains(other.base);
    }

    public boolean overlaps(Cidr other) {
        return contains(other) || other.contains(this);
    }

    /** The address at an index from the base (0 is the network address). */
    public byte[] addressAt(long index) {
        if (index < 0 || index >= size()) {
            throw new IllegalArgumentException("index " + index + " outside " + this);
        }
        BigInteger value = new BigInteger(1, base).add(BigInteger.valueOf(index));
        return IpAddresses.fromBigInteger(value, base.length);
    }

    public String addressStringAt(long index) {
        return IpAddresses.format(addressAt(index));
    }

    /** Index of an address inside this prefix. */
    public long indexOf(byte[] address) {
        if (!contains(address)) {
            throw new IllegalArgumentException(IpAddresses.format(address) + " is not in " + this);
        }
        return new BigInteger(1, address).subtract(new BigInteger(1, base)).longValueExact();
    }

    /** The n-th sub-prefix of the given length (10.244.0.0/16 → subnet(24, 3) = 10.244.3.0/24). */
    public Cidr subnet(int newPrefixLength, long n) {
        if (newPrefixLength < prefixLength || newPrefixLength > bits()) {
            throw new IllegalArgumentException("cannot cut /" + newPrefixLength + " from " + this);
        }
        int extra = newPrefixLength - prefixLength;
        if (extra < 63 && n >= (1L << extra)) {
            throw new IllegalArgumentException(this + " has no subnet number " + n + " of length /" + newPrefixLength);
        }
        BigInteger value = new BigInteger(1, base).add(BigInteger.valueOf(n).shiftLeft(bits() - newPrefixLength));
        return new Cidr(IpAddresses.fromBigInteger(value, base.length), newPrefixLength);
    }

    public InetAddress baseAddress() {
        try {
            return InetAddress.getByAddress(base);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] mask(byte[] bytes, int prefix) {
        for (int i = 0; i < bytes.length; i++) {
            int bitsHere = Math.max(0, Math.min(8, prefix - i * 8));
            bytes[i] = (byte) (bytes[i] & (0xff << (8 - bitsHere)));
        }
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cidr c && c.prefixLength == prefixLength && Arrays.equals(c.base, base);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(base) * 31 + prefixLength;
    }

    @Override
    public String toString() {
        return IpAddresses.format(base) + "/" + prefixLength;
    }
}
