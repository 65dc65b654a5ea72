package dev.knet.agent.services;

import dev.knet.dataplane.link.AddressScope;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.link.Links;
import dev.knet.dataplane.netns.NetnsNames;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Announces LoadBalancer addresses on the underlay, like MetalLB's L2 mode: exactly one node owns each address
 * and answers ARP for it. The owner is elected without talking to other nodes: every node sees the same
 * endpoints, takes the nodes that host a usable endpoint of the service (ready ones, else serving-terminating
 * ones; with externalTrafficPolicy Local only those can serve anyway), and picks the one with the smallest
 * hash of (address, node), which spreads addresses over nodes and moves one only when its owner loses its
 * endpoints. The owner puts the address on its loopback device as a host-scoped /32: with the kernel's default
 * arp_ignore=0 the node answers ARP for it on its uplink, and the services table's prerouting DNAT takes the
 * packets from there. Only namespaces knet created are touched (a lab node); addresses the announcer did not
 * add are left alone.
 */
public final class LoadBalancerAnnouncer extends MirroredSink implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancerAnnouncer.class);
    static final String DEVICE = "lo";

    private final String nodeName;
    private final String netns;
    private final Links links;
    private final Set<String> announced = new HashSet<>();

    public LoadBalancerAnnouncer(String nodeName, String netns, Links links) {
        this.nodeName = Objects.requireNonNull(nodeName, "nodeName");
        this.netns = NetnsNames.requireKnet(netns);
        this.links = Objects.requireNonNull(links, "links");
    }

    /** The LoadBalancer addresses {@code node} owns in a snapshot (pure; tests use it). */
    static SortedSet<String> owned(ServiceMirror.View view, String node) {
        SortedSet<String> out = new TreeSet<>();
        for (ServiceInfo s : view.services().values()) {
            if (s.type() != ServiceInfo.Type.LOAD_BALANCER || s.isHeadless()) {
                continue;
            }
            SortedSet<String> hosts = hostingNodes(view.endpointsOf(s.key()));
            for (String ip : s.loadBalancerIps()) {
                hosts.stream().min(Comparator.comparingLong((String n) -> rank(ip, n)).thenComparing(n -> n))
                        .filter(node::equals)
                        .ifPresent(n -> out.add(ip));
            }
        }
        return out;
    }

    /**
     * A well-mixed, stable rank of (address, node): String hashes of names that differ in one letter differ by a
     * small constant, which would hand every address to the same node, so they go through murmur3's finaliser.
     */
    static long rank(String ip, String node) {
        long h = ((long) ip.hashCode() << 32) ^ (node.hashCode() & 0xffffffffL);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    private static SortedSet<String> hostingNodes(List<EndpointInfo> endpoints) {
        SortedSet<String> ready = new TreeSet<>();
        SortedSet<String> terminating = new TreeSet<>();
        for (EndpointInfo e : endpoints) {
            if (e.nodeName().isEmpty()) {
                continue;
            }
            if (e.conditions().ready()) {
                ready.add(e.nodeName());
            } else if (e.conditions().serving() && e.conditions().terminating()) {
                terminating.add(e.nodeName());
            }
        }
        return ready.isEmpty() ? terminating : ready;
    }

    /** The addresses this node announces now. */
    public synchronized Set<String> announced() {
        return Set.copyOf(announced);
    }

    @Override
    synchronized void reconcile(ServiceMirror.View view) {
        SortedSet<String> want = owned(view, nodeName);
        for (String ip : Set.copyOf(announced)) {
            if (!want.contains(ip)) {
                try {
                    links.deleteAddress(netns, DEVICE, host(ip));
                    announced.remove(ip);
                    LOG.info("{} stops announcing {}", nodeName, ip);
                } catch (RuntimeException e) {
                    LOG.warn("{} could not withdraw {}, retrying on the next change", nodeName, ip, e);
                }
            }
        }
        List<LinkAddress> present = links.addresses(netns, DEVICE);
        for (String ip : want) {
            if (announced.contains(ip)) {
                continue;
            }
            try {
                if (present.stream().noneMatch(a -> a.sameAs(host(ip)))) {
                    links.addAddress(netns, DEVICE, host(ip));
                }
                announced.add(ip);
                LOG.info("{} announces LoadBalancer address {}", nodeName, ip);
            } catch (RuntimeException e) {
                LOG.warn("{} could not announce {}, retrying on the next change", nodeName, ip, e);
            }
        }
    }

    private static LinkAddress host(String ip) {
        // Host scope: the kernel still answers ARP for it (arp_ignore=0 looks at local routes, not scopes), but
        // never picks it as the source of the node's own or masqueraded traffic, as it would a global address.
        return new LinkAddress(ip, 32, AddressScope.HOST);
    }

    /** Withdraws every address this announcer added (an agent going away must not keep answering ARP). */
    @Override
    public synchronized void close() {
        for (String ip : announced) {
            try {
                links.deleteAddress(netns, DEVICE, host(ip));
            } catch (RuntimeException e) {
                LOG.debug("withdrawing {} on close failed", ip, e);
            }
        }
        announced.clear();
    }
}
