package dev.knet.dataplane.link;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.DataplaneException.Kind;
import dev.knet.dataplane.Faults;
import dev.knet.dataplane.netns.FakeNetns;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Links held in memory with the kernel's rules that control logic trips over: names unique per
 * namespace, a missing namespace is NOT_FOUND, deleting a veth end removes its peer, deleting a
 * namespace removes its links (and their veth peers elsewhere), moving a link drops its addresses.
 * Listeners hear when a link goes away or down, so the fake routes can drop what the kernel would.
 */
public final class FakeLinks implements Links {

    private static final class State {
        String name;
        final int index;
        final LinkKind kind;
        int mtu;
        boolean up;
        String master;
        final String mac;
        final List<LinkAddress> addresses = new ArrayList<>();
        String peerNetns;
        String peerName;
        int gsoMaxSize;

        State(String name, int index, LinkKind kind, int mtu, String mac) {
            this.name = name;
            this.index = index;
            this.kind = kind;
            this.mtu = mtu;
            this.mac = mac != null ? mac
                    : String.format("02:00:00:%02x:%02x:%02x", (index >> 16) & 0xff, (index >> 8) & 0xff, index & 0xff);
        }

        Link snapshot() {
            return new Link(name, index, kind, mtu, up, master, mac, addresses);
        }
    }

    private final FakeNetns netns;
    private final Faults faults;
    private final Map<String, Map<String, State>> byNetns = new HashMap<>();
    private final List<BiConsumer<String, String>> goneListeners = new ArrayList<>();
    private int nextIndex = 2;

    public FakeLinks(FakeNetns netns, Faults faults) {
        this.netns = netns;
        this.faults = faults;
        netns.onDelete(this::dropNamespace);
    }

    /** Called with (netns, link) when a link is deleted, moved away or set down. */
    public synchronized void onLinkGone(BiConsumer<String, String> listener) {
        goneListeners.add(listener);
    }

    @Override
    public synchronized void createVeth(String ns, VethSpec spec) {
        faults.check("links.createVeth");
        Map<String, State> here = links(ns);
        Map<String, State> there = links(spec.peerNetns());
        if (here.containsKey(spec.name()) || there.containsKey(spec.peerName())
                || (ns.equals(spec.peerNetns()) && spec.name().equals(spec.peerName()))) {
            throw exists(spec.name() + "/" + spec.peerName());
        }
        if (spec.master() != null) {
            State m = existing(ns, spec.master());
            if (m.kind != LinkKind.BRIDGE) {
                throw new DataplaneException(Kind.INVALID, spec.master() + " cannot be a master");
            }
        }
        int mtu = spec.mtu() == 0 ? 1500 : spec.mtu();
        State a = new State(spec.name(), nextIndex++, LinkKind.VETH, mtu, spec.mac());
        State b = new State(spec.peerName(), nextIndex++, LinkKind.VETH, mtu, spec.peerMac());
        a.master = spec.master();
        a.up = spec.state() == AdminState.UP;
        a.gsoMaxSize = spec.gsoMaxSize();
        b.gsoMaxSize = spec.gsoMaxSize();
        a.peerNetns = spec.peerNetns();
        a.peerName = spec.peerName();
        b.peerNetns = ns;
        b.peerName = spec.name();
        here.put(a.name, a);
        there.put(b.name, b);
    }

    @Override
    public synchronized void createBridge(String ns, String name) {
        faults.check("links.createBridge");
        add(ns, new State(LinkNames.require(name), nextIndex++, LinkKind.BRIDGE, 1500, null));
    }

    @Override
    public synchronized void createVxlan(String ns, VxlanSpec spec) {
        faults.check("links.createVxlan");
        if (spec.device() != null) {
            existing(ns, spec.device());
        }
        add(ns, new State(spec.name(), nextIndex++, LinkKind.VXLAN, spec.mtu() == 0 ? 1450 : spec.mtu(), null));
    }

    @Override
    public synchronized void setUp(String ns, String name) {
        faults.check("links.setUp");
        existing(ns, name).up = true;
    }

    @Override
    public synchronized void setDown(String ns, String name) {
        faults.check("links.setDown");
        existing(ns, name).up = false;
        fireGone(ns, name);
    }

    @Override
    public synchronized void setMtu(String ns, String name, int mtu) {
        faults.check("links.setMtu");
        if (mtu < 68 || mtu > 65535) {
            throw new DataplaneException(Kind.INVALID, "mtu " + mtu + " invalid");
        }
        existing(ns, name).mtu = mtu;
    }

    @Override
    public synchronized void setMaster(String ns, String name, String master) {
        faults.check("links.setMaster");
        State link = existing(ns, name);
        State m = existing(ns, master);
        if (m.kind != LinkKind.BRIDGE || m == link) {
            throw new DataplaneException(Kind.INVALID, master + " cannot be a master of " + name);
        }
        link.master = master;
    }

    @Override
    public synchronized void addAddress(String ns, String name, LinkAddress address) {
        faults.check("links.addAddress");
        State link = existing(ns, name);
        if (link.addresses.stream().anyMatch(a -> a.sameAs(address))) {
            throw exists(address.cidr() + " on " + name);
        }
        link.addresses.add(address);
    }

    @Override
    public synchronized void deleteAddress(String ns, String name, LinkAddress address) {
        faults.check("links.deleteAddress");
        if (!existing(ns, name).addresses.removeIf(a -> a.sameAs(address))) {
            throw new DataplaneException(Kind.NOT_FOUND, "Cannot assign requested address " + address.cidr());
        }
    }

    @Override
    public synchronized List<LinkAddress> addresses(String ns, String name) {
        return List.copyOf(existing(ns, name).addresses);
    }

    @Override
    public synchronized void moveToNetns(String ns, String name, String target) {
        faults.check("links.move");
        State link = existing(ns, name);
        Map<String, State> there = links(target);
        if (there.containsKey(name)) {
            throw exists(name + " in " + target);
        }
        links(ns).remove(name);
        fireGone(ns, name);
        // the kernel flushes addresses, detaches and downs a link that changes namespace
        link.addresses.clear();
        link.master = null;
        link.up = false;
        there.put(name, link);
        if (link.peerName != null) {
            links(link.peerNetns).get(link.peerName).peerNetns = target;
        }
    }

    @Override
    public synchronized void rename(String ns, String name, String newName) {
        faults.check("links.rename");
        State link = existing(ns, name);
        LinkNames.require(newName);
        Map<String, State> here = links(ns);
        if (here.containsKey(newName)) {
            throw exists(newName);
        }
        here.remove(name);
        fireGone(ns, name);
        link.name = newName;
        here.put(newName, link);
        if (link.peerName != null) {
            links(link.peerNetns).get(link.peerName).peerName = newName;
        }
        here.values().stream().filter(s -> name.equals(s.master)).forEach(s -> s.master = newName);
    }

    @Override
    public synchronized void delete(String ns, String name) {
        faults.check("links.delete");
        netns.require(ns);
        State link = byNetns.getOrDefault(ns, Map.of()).get(name);
        if (link != null) {
            remove(ns, link);
        }
    }

    @Override
    public synchronized List<Link> list(String ns) {
        return links(ns).values().stream().map(State::snapshot).toList();
    }

    @Override
    public synchronized Optional<Link> find(String ns, String name) {
        return Optional.ofNullable(links(ns).get(name)).map(State::snapshot);
    }

    @Override
    public boolean appliesGsoMaxSize() {
        return true;
    }

    @Override
    public synchronized void setGsoMaxSize(String ns, String name, int bytes) {
        existing(ns, name).gsoMaxSize = bytes;
    }

    /** The GSO limit the link was created with or set to (0: the kernel default). */
    public synchronized int gsoMaxSize(String ns, String name) {
        return existing(ns, name).gsoMaxSize;
    }

    /** Whether the link exists; false (not NOT_FOUND) when the namespace is gone, for listeners. */
    public synchronized boolean exists(String ns, String name) {
        return byNetns.getOrDefault(ns, Map.of()).containsKey(name);
    }

    private void remove(String ns, State link) {
        Map<String, State> here = byNetns.get(ns);
        here.remove(link.name);
        fireGone(ns, link.name);
        here.values().stream().filter(s -> link.name.equals(s.master)).forEach(s -> s.master = null);
        if (link.peerName != null) {
            State peer = byNetns.getOrDefault(link.peerNetns, Map.of()).get(link.peerName);
            if (peer != null) {
                peer.peerName = null;
                remove(link.peerNetns, peer);
            }
        }
    }

    private void dropNamespace(String ns) {
        Map<String, State> gone = byNetns.remove(ns);
        if (gone == null) {
            return;
        }
        byNetns.put(ns, gone);
        for (State link : List.copyOf(gone.values())) {
            if (gone.containsKey(link.name)) {
                remove(ns, link);
            }
        }
        byNetns.remove(ns);
    }

    private void add(String ns, State link) {
        Map<String, State> here = links(ns);
        if (here.containsKey(link.name)) {
            throw exists(link.name);
        }
        here.put(link.name, link);
    }

    private Map<String, State> links(String ns) {
        netns.require(ns);
        return byNetns.computeIfAbsent(ns, k -> new LinkedHashMap<>());
    }

    private State existing(String ns, String name) {
        State link = links(ns).get(name);
        if (link == null) {
            throw new DataplaneException(Kind.NOT_FOUND, "Cannot find device \"" + name + "\" in " + ns);
        }
        return link;
    }

    private void fireGone(String ns, String name) {
        goneListeners.forEach(l -> l.accept(ns, name));
    }

    private static DataplaneException exists(String what) {
        return new DataplaneException(Kind.EXISTS, what + ": File exists");
    }
}
