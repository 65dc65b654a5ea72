package dev.knet.dns.index;

import dev.knet.dns.index.Contribution.PtrClaim;
import dev.knet.model.net.IpAddresses;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The records each object contributes, rule by rule of the Kubernetes DNS specification
 * (section numbers in the comments). Each method looks at one object and what it depends on
 * (a headless Service's endpoints; whether a pod's subdomain names a headless Service), so the
 * index can recompute one object's share after a change. Wildcard records are not served.
 */
final class ZoneRecords {

    static final String SCHEMA_VERSION = "1.1.0";

    private final ZoneSettings settings;

    ZoneRecords(ZoneSettings settings) {
        this.settings = settings;
    }

    /** 2.2: dns-version TXT; the apex also answers NS (the SOA is synthesised by the snapshot). */
    Contribution apex() {
        String z = settings.zone();
        return builder().touch(z).add(z, new RecordData.Ns("ns.dns." + z))
                .add("dns-version." + z, new RecordData.Txt(List.of(SCHEMA_VERSION))).build();
    }

    /** A namespace exists as {@code <ns>.svc.<zone>} and {@code <ns>.pod.<zone>}, with or without objects. */
    Contribution namespace(String ns) {
        return touchNamespace(builder(), ns).build();
    }

    private Contribution.Builder touchNamespace(Contribution.Builder b, String ns) {
        return b.touch(lower(ns) + ".svc." + settings.zone()).touch(lower(ns) + ".pod." + settings.zone());
    }

    static boolean isHeadless(Service service) {
        return service.getSpec() != null && "None".equals(service.getSpec().getClusterIP())
                && !"ExternalName".equals(service.getSpec().getType());
    }

    /**
     * One Service's records. {@code endpoints} are the ready endpoints of a headless Service
     * (ignored for other types).
     */
    Contribution service(String ns, Service service, List<DnsEndpoint> endpoints) {
        Contribution.Builder b = touchNamespace(builder(), ns);
        if (service.getSpec() == null) {
            return b.build();
        }
        String name = serviceName(ns, service);
        if (isHeadless(service)) {
            headless(b, service, name, endpoints);
        } else if ("ExternalName".equals(service.getSpec().getType())) {
            externalName(b, service, name);
        } else {
            clusterIp(b, service, name);
        }
        return b.build();
    }

    /** 2.3: A/AAAA per cluster IP, SRV per named port, PTR per cluster IP. */
    private void clusterIp(Contribution.Builder b, Service service, String name) {
        b.touch(name);
        Set<String> ips = new LinkedHashSet<>();
        if (service.getSpec().getClusterIPs() != null) {
            ips.addAll(service.getSpec().getClusterIPs());
        }
        if (service.getSpec().getClusterIP() != null) {
            ips.add(service.getSpec().getClusterIP());
        }
        boolean hasAddress = false;
        for (String ip : ips) {
            if (ip == null || !IpAddresses.isValid(ip)) {
                continue;
            }
            byte[] address = IpAddresses.parse(ip);
            b.add(name, addressRecord(address));
            b.ptr(address, name, PtrClaim.SERVICE);
            hasAddress = true;
        }
        if (!hasAddress) {
            return;
        }
        for (ServicePort port : ports(service)) {
            b.add(srvName(port, name), new RecordData.Srv(0, 100, port.getPort(), name));
        }
    }

    /** 2.4: A/AAAA per ready endpoint at the service name and at its hostname; SRV N x M; PTR. */
    private void headless(Contribution.Builder b, Service service, String name, List<DnsEndpoint> endpoints) {
        if (endpoints.isEmpty()) {
            return; // 2.4.1: no ready endpoints answers NXDOMAIN, so the name must not exist
        }
        List<ServicePort> ports = ports(service);
        for (DnsEndpoint endpoint : endpoints) {
            String host = endpoint.hostname() != null
                    ? lower(endpoint.hostname()) : DnsNames.dashed(endpoint.addresses().getFirst());
            String hostName = host + "." + name;
            for (byte[] address : endpoint.addresses()) {
                b.add(name, addressRecord(address));
                b.add(hostName, addressRecord(address));
                b.ptr(address, hostName, PtrClaim.ENDPOINT);
            }
            for (ServicePort port : ports) {
                int number = endpoint.portsByName().getOrDefault(port.getName(), port.getPort());
                b.add(srvName(port, name), new RecordData.Srv(0, 100, number, hostName));
            }
        }
    }

    /** 2.5: CNAME to the external name. */
    private void externalName(Contribution.Builder b, Service service, String name) {
        String target = service.getSpec().getExternalName();
        if (target == null || target.isBlank()) {
            return;
        }
        b.add(name, new RecordData.Cname(DnsNames.normalize(target.strip())));
    }

    /**
     * A pod's hostname record (hostname.subdomain.ns.svc.zone when {@code subdomainIsHeadless}:
     * a headless Service named like the subdomain exists) and the PTR of each pod address.
     */
    Contribution pod(String ns, Pod pod, boolean subdomainIsHeadless) {
        Contribution.Builder b = touchNamespace(builder(), ns);
        String nsName = lower(ns);
        List<byte[]> addresses = HeadlessEndpoints.podAddresses(pod);
        for (byte[] address : addresses) {
            b.podAddress(nsName, IpAddresses.format(address));
        }
        var spec = pod.getSpec();
        String hostName = null;
        if (subdomainIsHeadless && spec != null && spec.getHostname() != null && spec.getSubdomain() != null
                && !Boolean.TRUE.equals(spec.getHostNetwork())) {
            hostName = lower(spec.getHostname()) + "." + lower(spec.getSubdomain()) + "." + nsName + ".svc." + settings.zone();
        }
        boolean ready = HeadlessEndpoints.isReady(pod);
        for (byte[] address : addresses) {
            if (hostName != null && ready) {
                b.add(hostName, addressRecord(address));
                b.ptr(address, hostName, PtrClaim.ENDPOINT);
            } else if (settings.podRecords() != ZoneSettings.PodRecords.DISABLED) {
                b.ptr(address, DnsNames.dashed(address) + "." + nsName + ".pod." + settings.zone(), PtrClaim.POD);
            }
        }
        return b.build();
    }

    static RecordData addressRecord(byte[] address) {
        try {
            InetAddress inet = InetAddress.getByAddress(address);
            return inet instanceof Inet4Address v4 ? new RecordData.A(v4) : new RecordData.Aaaa((Inet6Address) inet);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + address.length, e);
        }
    }

    private Contribution.Builder builder() {
        return new Contribution.Builder(settings.ttl());
    }

    private String serviceName(String ns, Service service) {
        return lower(service.getMetadata().getName()) + "." + lower(ns) + ".svc." + settings.zone();
    }

    /** 2.3.2/2.4.2: unnamed ports have no SRV record. */
    private static List<ServicePort> ports(Service service) {
        List<ServicePort> out = new ArrayList<>();
        if (service.getSpec().getPorts() != null) {
            for (ServicePort port : service.getSpec().getPorts()) {
                if (port.getName() != null && !port.getName().isBlank() && port.getPort() != null) {
                    out.add(port);
                }
            }
        }
        return out;
    }

    private static String srvName(ServicePort port, String serviceName) {
        String proto = port.getProtocol() == null ? "tcp" : port.getProtocol();
        return "_" + lower(port.getName()) + "._" + lower(proto) + "." + serviceName;
    }

    static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
