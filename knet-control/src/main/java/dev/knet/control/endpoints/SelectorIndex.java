package dev.knet.control.endpoints;

import dev.knet.control.runtime.Keys;
import dev.knet.model.LabelSelectors;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds pods for a Service selector and Services for a pod's labels without scanning everything:
 * pods are indexed by each (namespace, label, value); a Service is indexed by one pair of its
 * selector, which every matching pod must carry. Safe for one writer (the watch threads) and
 * concurrent readers.
 */
final class SelectorIndex {

    private final Map<String, Set<String>> podsByLabel = new ConcurrentHashMap<>();
    private final Map<String, Set<String>> servicesByLabel = new ConcurrentHashMap<>();
    private final Map<String, String> serviceAnchor = new ConcurrentHashMap<>();

    private static String term(String ns, String k, String v) {
        return ns + '\u0000' + k + '\u0000' + v;
    }

    void podChanged(Pod old, Pod now) {
        if (old != null) {
            labels(old).forEach((k, v) -> {
                Set<String> s = podsByLabel.get(term(old.getMetadata().getNamespace(), k, v));
                if (s != null) {
                    s.remove(Keys.of(old));
                }
            });
        }
        if (now != null) {
            labels(now).forEach((k, v) -> podsByLabel.computeIfAbsent(term(now.getMetadata().getNamespace(), k, v),
                    t -> ConcurrentHashMap.newKeySet()).add(Keys.of(now)));
        }
    }

    void serviceChanged(Service old, Service now) {
        Service s = now != null ? now : old;
        String key = Keys.of(s);
        String anchor = serviceAnchor.remove(key);
        if (anchor != null) {
            Set<String> set = servicesByLabel.get(anchor);
            if (set != null) {
                set.remove(key);
            }
        }
        Map<String, String> selector = now == null ? null : selector(now);
        if (selector != null) {
            var first = new TreeMap<>(selector).firstEntry();
            String t = term(now.getMetadata().getNamespace(), first.getKey(), first.getValue());
            serviceAnchor.put(key, t);
            servicesByLabel.computeIfAbsent(t, x -> ConcurrentHashMap.newKeySet()).add(key);
        }
    }

    /** Keys of pods in the namespace whose labels carry every pair of the selector (a superset, to be checked). */
    Set<String> candidatePods(String namespace, Map<String, String> selector) {
        Set<String> best = null;
        for (var e : selector.entrySet()) {
            Set<String> s = podsByLabel.getOrDefault(term(namespace, e.getKey(), e.getValue()), Set.of());
            if (best == null || s.size() < best.size()) {
                best = s;
            }
        }
        return best == null ? Set.of() : Set.copyOf(best);
    }

    /** Keys of the Services whose selector the pod's labels (old or new) match. */
    Set<String> servicesFor(Pod pod, java.util.function.Function<String, Service> services) {
        Set<String> out = new HashSet<>();
        Map<String, String> labels = labels(pod);
        for (var e : labels.entrySet()) {
            for (String key : servicesByLabel.getOrDefault(term(pod.getMetadata().getNamespace(), e.getKey(), e.getValue()), Set.of())) {
                Service s = services.apply(key);
                if (s != null && LabelSelectors.matchesAll(selector(s), labels)) {
                    out.add(key);
                }
            }
        }
        return out;
    }

    static Map<String, String> selector(Service s) {
        Map<String, String> sel = s.getSpec() == null ? null : s.getSpec().getSelector();
        return sel == null || sel.isEmpty() ? null : sel;
    }

    private static Map<String, String> labels(Pod p) {
        return p.getMetadata().getLabels() == null ? Map.of() : p.getMetadata().getLabels();
    }
}
