package dev.knet.dataplane;

import java.util.HashMap;
import java.util.Map;

/**
 * Failure injection shared by the fakes: {@code failOn("links.addAddress")} makes the next call of
 * that operation throw, so rollback paths can be tested step by step.
 */
public final class Faults {

    private final Map<String, Integer> pending = new HashMap<>();

    public synchronized void failOn(String operation) {
        pending.merge(operation, 1, Integer::sum);
    }

    public synchronized void clear() {
        pending.clear();
    }

    /** Called by a fake at the start of each operation. */
    public synchronized void check(String operation) {
        Integer n = pending.get(operation);
        if (n != null) {
            if (n == 1) {
                pending.remove(operation);
            } else {
                pending.put(operation, n - 1);
            }
            throw new DataplaneException(DataplaneException.Kind.OTHER, "injected failure in " + operation);
        }
    }
}
