package dev.knet.store.validation;

import dev.knet.model.net.IpAddresses;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** EndpointSlices (discovery.k8s.io/v1): address type, addresses valid for it, ports, size limits. */
public final class EndpointSliceValidator {

    public static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
    public static final int MAX_ENDPOINTS = 1000;
    public static final int MAX_ADDRESSES = 100;
    public static final int MAX_PORTS = 20000;

    private EndpointSliceValidator() {
    }

    public static void validate(EndpointSlice slice, FieldErrors errs) {
        MetadataValidator.validate(slice.getMetadata(), NameRule.DNS1123_SUBDOMAIN, true, errs);
        String type = slice.getAddressType() == null ? "" : slice.getAddressType();
        FieldPath typePath = FieldPath.of("addressType");
        if (type.isEmpty()) {
            errs.required(typePath);
        } else if (!ADDRESS_TYPES.contains(type)) {
            errs.notSupported(typePath, type, ADDRESS_TYPES);
        }
        endpoints(slice.getEndpoints() == null ? List.of() : slice.getEndpoints(), type, errs);
        ports(slice.getPorts() == null ? List.of() : slice.getPorts(), errs);
    }

    private static void endpoints(List<Endpoint> endpoints, String type, FieldErrors errs) {
        FieldPath path = FieldPath.of("endpoints");
        if (endpoints.size() > MAX_ENDPOINTS) {
            errs.tooMany(path, endpoints.size(), MAX_ENDPOINTS);
            return;
        }
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint ep = endpoints.get(i);
            FieldPath addrPath = path.index(i).child("addresses");
            List<String> addresses = ep.getAddresses() == null ? List.of() : ep.getAddresses();
            if (addresses.isEmpty()) {
                errs.required(addrPath, "must contain at least 1 address");
            } else if (addresses.size() > MAX_ADDRESSES) {
                errs.tooMany(addrPath, addresses.size(), MAX_ADDRESSES);
            }
            for (int a = 0; a < addresses.size(); a++) {
                address(addresses.get(a), type, addrPath.index(a), errs);
            }
            if (ep.getNodeName() != null) {
                errs.invalidEach(path.index(i).child("nodeName"), ep.getNodeName(),
                        Names.dns1123Subdomain(ep.getNodeName()));
            }
            if (ep.getHostname() != null) {
                errs.invalidEach(path.index(i).child("hostname"), ep.getHostname(),
                        Names.dns1123Label(ep.getHostname()));
            }
        }
    }

    /** Unknown address types are reported once at addressType; their addresses are not checked. */
    private static void address(String address, String type, FieldPath path, FieldErrors errs) {
        switch (type) {
            case "IPv4" -> {
                if (!Names.isIp(address) || !IpAddresses.isIpv4(address)) {
                    errs.invalid(path, address, "must be a valid IPv4 address");
                } else {
                    nonSpecial(address, path, errs);
                }
            }
            case "IPv6" -> {
                if (!Names.isIp(address) || IpAddresses.isIpv4(address)) {
                    errs.invalid(path, address, "must be a valid IPv6 address");
                } else {
                    nonSpecial(address, path, errs);
                }
            }
            case "FQDN" -> fqdn(address, path, errs);
            default -> {
            }
        }
    }

    /** Endpoints must be reachable pod or host addresses, not special-purpose ones. */
    private static void nonSpecial(String address, FieldPath path, FieldErrors errs) {
        byte[] b = IpAddresses.parse(address);
        boolean v4 = b.length == 4;
        boolean unspecified = true;
        for (byte x : b) {
            unspecified &= x == 0;
        }
        if (unspecified) {
            errs.invalid(path, address, "may not be unspecified (" + address + ")");
        }
        boolean loopback = v4 ? (b[0] & 0xff) == 127 : isV6Loopback(b);
        if (loopback) {
            errs.invalid(path, address, "may not be in the loopback range (127.0.0.0/8, ::1/128)");
        }
        boolean linkLocal = v4 ? (b[0] & 0xff) == 169 && (b[1] & 0xff) == 254
                : (b[0] & 0xff) == 0xfe && (b[1] & 0xc0) == 0x80;
        if (linkLocal) {
            errs.invalid(path, address, "may not be in the link-local range (169.254.0.0/16, fe80::/10)");
        }
        boolean linkLocalMulticast = v4 ? (b[0] & 0xff) == 224 && b[1] == 0 && b[2] == 0
                : (b[0] & 0xff) == 0xff && (b[1] & 0x0f) == 0x02;
        if (linkLocalMulticast) {
            errs.invalid(path, address, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)");
        }
    }

    private static boolean isV6Loopback(byte[] b) {
        for (int i = 0; i < 15; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return b[15] == 1;
    }

    private static void fqdn(String address, FieldPath path, FieldErrors errs) {
        if (address.isEmpty()) {
            errs.required(path);
            return;
        }
        String name = address.replaceFirst("\\.$", "");
        List<String> msgs = Names.dns1123Subdomain(name);
        if (!msgs.isEmpty()) {
            errs.invalid(path, name, String.join(",", msgs));
        } else if (!name.contains(".")) {
            errs.invalid(path, name, "should be a domain with at least two segments separated by dots");
        }
    }

    private static void ports(List<EndpointPort> ports, FieldErrors errs) {
        FieldPath path = FieldPath.of("ports");
        if (ports.size() > MAX_PORTS) {
            errs.tooMany(path, ports.size(), MAX_PORTS);
            return;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            EndpointPort p = ports.get(i);
            FieldPath idx = path.index(i);
            String name = p.getName() == null ? "" : p.getName();
            if (!name.isEmpty()) {
                errs.invalidEach(idx.child("name"), name, Names.dns1123Label(name));
            }
            if (!names.add(name)) {
                errs.duplicate(idx.child("name"), name);
            }
            Ports.protocol(p.getProtocol(), idx.child("protocol"), errs);
            if (p.getPort() != null) {
                errs.invalidEach(idx.child("port"), p.getPort(), Names.portNumber(p.getPort()));
            }
            if (p.getAppProtocol() != null) {
                errs.invalidEach(idx.child("appProtocol"), p.getAppProtocol(), Names.qualifiedName(p.getAppProtocol()));
            }
        }
    }
}
