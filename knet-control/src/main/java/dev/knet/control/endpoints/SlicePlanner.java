package dev.knet.control.endpoints;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Turns the desired endpoint groups and a Service's existing slices into as few writes as possible:
 * an endpoint stays in the slice it is in; new endpoints fill slices with room before a new slice is
 * made; a slice whose content is unchanged is not written; slices left empty go, except one
 * placeholder when the Service has no endpoints at all (as Kubernetes keeps one). Pure.
 */
public final class SlicePlanner {

    public static final int MAX_ENDPOINTS = 100;

    /** A slice to write: existing is null for a new one. */
    public record SliceContent(EndpointSlice existing, List<EndpointPort> ports, List<Endpoint> endpoints) {
    }

    /** What to do: slices to create or update (with their full content) and slices to delete. */
    public record Plan(List<SliceContent> writes, List<EndpointSlice> deletes) {
    }

    private SlicePlanner() {
    }

    public static Plan plan(Map<String, EndpointSliceBuilder.Group> desired, List<EndpointSlice> existing,
                            Set<String> labelsChanged) {
        List<SliceContent> writes = new ArrayList<>();
        List<EndpointSlice> deletes = new ArrayList<>();
        Map<String, List<EndpointSlice>> byKey = new HashMap<>();
        List<EndpointSlice> sorted = new ArrayList<>(existing);
        sorted.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        for (EndpointSlice s : sorted) {
            byKey.computeIfAbsent(EndpointSliceBuilder.portsKey(ports(s)), k -> new ArrayList<>()).add(s);
        }
        List<SliceContent> kept = new ArrayList<>();
        for (EndpointSliceBuilder.Group g : desired.values()) {
            List<EndpointSlice> mine = byKey.getOrDefault(g.key(), List.of());
            byKey.remove(g.key());
            Map<String, Endpoint> wanted = new HashMap<>();
            for (Endpoint e : g.endpoints()) {
                wanted.put(e.getAddresses().getFirst(), e);
            }
            Set<String> placed = new HashSet<>();
            List<List<Endpoint>> contents = new ArrayList<>();
            for (EndpointSlice s : mine) {
                List<Endpoint> next = new ArrayList<>();
                for (Endpoint e : s.getEndpoints()) {
                    String addr = e.getAddresses().isEmpty() ? null : e.getAddresses().getFirst();
                    if (addr != null && wanted.containsKey(addr) && placed.add(addr)) {
                        next.add(wanted.get(addr));
                    }
                }
                contents.add(next);
            }
            List<Endpoint> rest = g.endpoints().stream().filter(e -> !placed.contains(e.getAddresses().getFirst())).toList();
            int r = 0;
            for (List<Endpoint> c : contents) {
                while (c.size() < MAX_ENDPOINTS && r < rest.size()) {
                    c.add(rest.get(r++));
                }
            }
            for (int i = 0; i < mine.size(); i++) {
                kept.add(new SliceContent(mine.get(i), g.ports(), contents.get(i)));
            }
            while (r < rest.size()) {
                List<Endpoint> c = new ArrayList<>(rest.subList(r, Math.min(rest.size(), r + MAX_ENDPOINTS)));
                r += c.size();
                kept.add(new SliceContent(null, g.ports(), c));
            }
        }
        List<EndpointSlice> leftovers = new ArrayList<>();
        byKey.values().forEach(leftovers::addAll);
        leftovers.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        List<SliceContent> nonEmpty = kept.stream().filter(c -> !c.endpoints().isEmpty()).toList();
        List<SliceContent> result = new ArrayList<>(nonEmpty);
        List<EndpointSlice> toDelete = new ArrayList<>(leftovers);
        kept.stream().filter(c -> c.endpoints().isEmpty() && c.existing() != null).forEach(c -> toDelete.add(c.existing()));
        toDelete.sort(Comparator.comparing(s -> s.getMetadata().getName()));
        if (result.isEmpty()) {
            // No endpoints at all: keep (or make) one empty placeholder slice.
            EndpointSlice placeholder = toDelete.isEmpty() ? null : toDelete.removeFirst();
            result.add(new SliceContent(placeholder, List.of(), List.of()));
        }
        // A slice that would be deleted is rewritten instead of creating a new one: one write, not two.
        for (int i = 0; i < result.size() && !toDelete.isEmpty(); i++) {
            SliceContent c = result.get(i);
            if (c.existing() == null) {
                result.set(i, new SliceContent(toDelete.removeFirst(), c.ports(), c.endpoints()));
            }
        }
        for (SliceContent c : result) {
            if (c.existing() == null || labelsChanged.contains(c.existing().getMetadata().getName())
                    || !same(c.existing(), c.ports(), c.endpoints())) {
                writes.add(c);
            }
        }
        deletes.addAll(toDelete);
        return new Plan(writes, deletes);
    }

    private static List<EndpointPort> ports(EndpointSlice s) {
        return s.getPorts() == null ? List.of() : s.getPorts();
    }

    /**
     * Field by field, treating what a store round trip may turn into null (an empty port name) as
     * equal, so an unchanged slice is never rewritten.
     */
    static boolean same(EndpointSlice s, List<EndpointPort> ports, List<Endpoint> endpoints) {
        List<EndpointPort> have = ports(s);
        List<Endpoint> haveEndpoints = s.getEndpoints() == null ? List.of() : s.getEndpoints();
        if (have.size() != ports.size() || haveEndpoints.size() != endpoints.size()) {
            return false;
        }
        for (int i = 0; i < have.size(); i++) {
            EndpointPort a = have.get(i);
            EndpointPort b = ports.get(i);
            if (!blank(a.getName()).equals(blank(b.getName())) || !Objects.equals(a.getPort(), b.getPort())
                    || !Objects.equals(a.getProtocol(), b.getProtocol()) || !Objects.equals(a.getAppProtocol(), b.getAppProtocol())) {
                return false;
            }
        }
        for (int i = 0; i < endpoints.size(); i++) {
            if (!same(haveEndpoints.get(i), endpoints.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean same(Endpoint a, Endpoint b) {
        EndpointConditions ca = a.getConditions() == null ? new EndpointConditions() : a.getConditions();
        EndpointConditions cb = b.getConditions() == null ? new EndpointConditions() : b.getConditions();
        ObjectReference ra = a.getTargetRef();
        ObjectReference rb = b.getTargetRef();
        return Objects.equals(a.getAddresses(), b.getAddresses())
                && Objects.equals(ca.getReady(), cb.getReady()) && Objects.equals(ca.getServing(), cb.getServing())
                && Objects.equals(ca.getTerminating(), cb.getTerminating())
                && Objects.equals(a.getNodeName(), b.getNodeName()) && Objects.equals(a.getZone(), b.getZone())
                && Objects.equals(a.getHostname(), b.getHostname())
                && (ra == null ? rb == null : rb != null && Objects.equals(ra.getUid(), rb.getUid())
                        && Objects.equals(ra.getName(), rb.getName()) && Objects.equals(ra.getNamespace(), rb.getNamespace())
                        && Objects.equals(ra.getKind(), rb.getKind()));
    }

    private static String blank(String s) {
        return s == null ? "" : s;
    }
}
