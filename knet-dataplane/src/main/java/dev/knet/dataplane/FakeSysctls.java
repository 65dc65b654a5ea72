package dev.knet.dataplane;

import dev.knet.dataplane.netns.FakeNetns;

import java.util.HashMap;
import java.util.Map;

/** Kernel parameters per fake namespace; a namespace that does not exist is NOT_FOUND. */
public final class FakeSysctls implements Sysctls {

    private final FakeNetns netns;
    private final Faults faults;
    private final Map<String, Map<String, String>> values = new HashMap<>();

    public FakeSysctls(FakeNetns netns, Faults faults) {
        this.netns = netns;
        this.faults = faults;
        netns.onDelete(ns -> {
            synchronized (this) {
                values.remove(ns);
            }
        });
    }

    @Override
    public synchronized void set(String ns, String key, String value) {
        faults.check("sysctls.set");
        netns.require(ns);
        values.computeIfAbsent(ns, k -> new HashMap<>()).put(key, value);
    }

    @Override
    public synchronized String get(String ns, String key) {
        netns.require(ns);
        String v = values.getOrDefault(ns, Map.of()).get(key);
        if (v == null) {
            throw new DataplaneException(DataplaneException.Kind.NOT_FOUND, "sysctl: cannot stat " + key);
        }
        return v;
    }
}
