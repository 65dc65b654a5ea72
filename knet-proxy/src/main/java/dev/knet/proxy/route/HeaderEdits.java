package dev.knet.proxy.route;

import java.util.List;

/** Gateway API header modifications, applied in the spec's order: set, then add, then remove. */
public record HeaderEdits(List<Header> set, List<Header> add, List<String> remove) {

    public record Header(String name, String value) {
    }

    /** Where edits land; the proxy adapts its HTTP headers to this. */
    public interface Target {
        void set(String name, String value);

        void add(String name, String value);

        void remove(String name);
    }

    public HeaderEdits {
        set = List.copyOf(set);
        add = List.copyOf(add);
        remove = List.copyOf(remove);
    }

    public void applyTo(Target target) {
        set.forEach(h -> target.set(h.name(), h.value()));
        add.forEach(h -> target.add(h.name(), h.value()));
        remove.forEach(target::remove);
    }
}
