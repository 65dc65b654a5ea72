package dev.knet.dns.index;

import dev.knet.dns.index.ZoneSettings.EndpointSource;
import dev.knet.model.net.IpAddresses;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Builds the whole zone from the cluster objects, rule by rule of the Kubernetes DNS
 * specification (section numbers in the comments). Wildcard records are not served.
 */
final class ZoneAssembler {

    static final String SCHEMA_VERSION = "1.1.0";

    /** PTR precedence when several objects share an address: Service IP, then endpoint, then pod. */
    private static final int PTR_SERVICE = 0;
    private static final int PTR_ENDPOINT = 1;
    private static final int PTR_POD = 2;

    private final ZoneSettings settings;
    private final ZoneSnapshot.Builder zone;
    private final Map<String, PtrTarget> ptrs = new HashMap<>();

    private record PtrTarget(int precedence, String target) {
    }

    private ZoneAssembler(ZoneSettings settings) {
        this.settings = settings;
        this.zone = ZoneSnapshot.builder(settings);
    }

    static ZoneSnapshot assemble(ZoneSettings settings, ClusterObjects objects, long serial) {
        ZoneAssembler a = new ZoneAssembler(settings);
        a.apex();
        Set<String> namespaces = new TreeSet<>(objects.namespaces());
        namespaces.addAll(objects.services().keySet());
        namespaces.addAll(objects.pods().keySet());
        for (String ns : namespaces) {
            a.namespace(ns, objects);
        }
        a.ptrs.forEach((reverse, target) -> a.zone.add(reverse, new RecordData.Ptr(target.target())));
        return a.zone.build(serial);
    }

    /** 2.2: dns-version TXT; the apex also answers NS (the SOA is synthesised by the snapshot). */
    private void apex() {
        String z = settings.zone();
        zone.touch(z);
        zone.add(z, new RecordData.Ns("ns.dns." + z));
        zone.add("dns-version." + z, new RecordData.Txt(List.of(SCHEMA_VERSION)));
    }

    private void namespace(String ns, ClusterObjects objects) {
        String nsName = lower(ns);
        zone.touch(nsName + ".svc." + settings.zone());
        zone.touch(nsName + ".pod." + settings.zone());
        Set<String> headless = new LinkedHashSet<>();
        for (Service service : objects.servicesIn(ns)) {
            if (service.getSpec() == null) {
                continue;
            }
            if (isHeadless(service)) {
                headless.add(lower(service.getMetadata().getName()));
                headless(service, objects);
            } else if ("ExternalName".equals(service.getSpec().getType())) {
                externalName(service);
            } else {
                clusterIp(service);
            }
        }
        for (Pod pod : objects.podsIn(ns)) {
            pod(pod, headless);
        }
    }

    private static boolean isHeadless(Service service) {
        return "None".equals(service.getSpec().getClusterIP()) && !"ExternalName".equals(service.getSpec().getType());
    }

    /** 2.3: A/AAAA per cluster IP, SRV per named port, PTR per cluster IP. */
    private void clusterIp(Service service) {
        String name = serviceName(service);
        zone.touch(name);
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
            zone.add(name, addressRecord(address));
            ptr(address, name, PTR_SERVICE);
            hasAddress = true;
        }
        if (!hasAddress) {
            return;
        }
        for (ServicePort port : ports(service)) {
            zone.add(srvName(port, name), new RecordData.Srv(0, 100, port.getPort(), name));
        }
    }

    /** 2.4: A/AAAA per ready endpoint at the service name and at its hostname; SRV N x M; PTR. */
    private void headless(Service service, ClusterObjects objects) {
        String ns = service.getMetadata().getNamespace();
        var slices = HeadlessEndpoints.slicesOf(service, objects.slicesIn(ns));
        List<DnsEndpoint> endpoints = slices.isEmpty() && settings.endpointSource() == EndpointSource.SLICES_OR_PODS
                ? HeadlessEndpoints.fromPods(service, objects.podsIn(ns))
                : HeadlessEndpoints.fromSlices(service, slices);
        if (endpoints.isEmpty()) {
            return; // 2.4.1: no ready endpoints answers NXDOMAIN, so the name must not exist
        }
        String name = serviceName(service);
        List<ServicePort> ports = ports(service);
        for (DnsEndpoint endpoint : endpoints) {
            String host = endpoint.hostname() != null
                    ? lower(endpoint.hostname()) : DnsNames.dashed(endpoint.addresses().getFirst());
            String hostName = host + "." + name;
            for (byte[] address : endpoint.addresses()) {
                zone.add(name, addressRecord(address));
                zone.add(hostName, addressRecord(address));
                ptr(address, hostName, PTR_ENDPOINT);
            }
            for (ServicePort port : ports) {
                int number = endpoint.portsByName().getOrDefault(port.getName(), port.getPort());
                zone.add(srvName(port, name), new RecordData.Srv(0, 100, number, hostName));
            }
        }
    }

    /** 2.5: CNAME to the external name. */
    private void externalName(Service service) {
        String target = service.getSpec().getExternalName();
        if (target == null || target.isBlank()) {
            return;
        }
        zone.add(serviceName(service), new RecordData.Cname(DnsNames.normalize(target.strip())));
    }

    /**
     * Pod hostname records (hostname.subdomain.ns.svc.zone when a headless Service named like the
     * subdomain exists) and the PTR of each pod address.
     */
    private void pod(Pod pod, Set<String> headlessServices) {
        String ns = lower(pod.getMetadata().getNamespace());
        List<byte[]> addresses = HeadlessEndpoints.podAddresses(pod);
        for (byte[] address : addresses) {
            zone.podAddress(ns, IpAddresses.format(address));
        }
        var spec = pod.getSpec();
        String hostName = null;
        if (spec != null && spec.getHostname() != null && spec.getSubdomain() != null
                && headlessServices.contains(lower(spec.getSubdomain()))
                && !Boolean.TRUE.equals(spec.getHostNetwork())) {
            hostName = lower(spec.getHostname()) + "." + lower(spec.getSubdomain()) + "." + ns + ".svc." + settings.zone();
        }
        boolean ready = HeadlessEndpoints.isReady(pod);
        for (byte[] address : addresses) {
            if (hostName != null && ready) {
                zone.add(hostName, addressRecord(address));
                ptr(address, hostName, PTR_ENDPOINT);
            } else if (settings.podRecords() != ZoneSettings.PodRecords.DISABLED) {
                ptr(address, DnsNames.dashed(address) + "." + ns + ".pod." + settings.zone(), PTR_POD);
            }
        }
    }

    private void ptr(byte[] address, String target, int precedence) {
        String reverse = DnsNames.reverseName(address);
        PtrTarget existing = ptrs.get(reverse);
        if (existing == null || precedence < existing.precedence()
                || (precedence == existing.precedence() && target.compareTo(existing.target()) < 0)) {
            ptrs.put(reverse, new PtrTarget(precedence, target));
        }
    }

    static RecordData addressRecord(byte[] address) {
        try {
            InetAddress inet = InetAddress.getByAddress(address);
            return inet instanceof Inet4Address v4 ? new RecordData.A(v4) : new RecordData.Aaaa((Inet6Address) inet);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("bad address length " + address.length, e);
        }
    }

    private String serviceName(Service service) {
        return lower(service.getMetadata().getName()) + "." + lower(service.getMetadata().getNamespace())
                + ".svc." + settings.zone();
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

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }
}
