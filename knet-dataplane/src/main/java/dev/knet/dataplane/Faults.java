package dev.knet.dataplane;

import java.util.HashMap;
import java.util.Map;

/**
 * Failure injection shared by the fakes: {@code failOn("links.addAddress")} makes the next call of
 * that operation throw (or the n-th, with {@code failOn(op, n)}), so rollback paths can be tested step by step.
 */
public final class Faults {

    private final Map<String, Integer> pending = new HashMap<>();

    public synchronized void failOn(String operation) {
        failOn(operation, 1);
    }

    /** Makes the {@code nth} next call (1 = the next one) of the operation fail. */
    public synchronized void failOn(String operation, int nth) {
        if (nth < 1) {
            throw new IllegalArgumentException("nth starts at 1");
        }
        pending.put(operation, nth);
    }

    public synchronized void clear() {
        pending.clear();
    }

    /** Called by a fake at the start of each operation. */
    public synchronized void check(String operation) {
        Integer n = pending.get(operation);
        if (n == null) {
            return;
        }
        if (n > 1) {
            pending.put(operation, n - 1);
            return;
        }
        pending.remove(operation);
        throw new DataplaneException(DataplaneException.Kind.OTHER, "injected failure in " + operation);
    }
}
