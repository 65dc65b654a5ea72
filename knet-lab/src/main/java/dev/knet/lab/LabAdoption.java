package dev.knet.lab;

import java.util.List;
import java.util.Optional;

/**
 * What starting a lab does with namespaces of the same cluster that already exist (a daemon that
 * was killed or stopped without {@code knet down} leaves them, pods and all): adopt them when the
 * recorded shape is the one asked for, otherwise remove them and build from scratch.
 */
public sealed interface LabAdoption {

    /** Nothing is there: build. */
    record Fresh() implements LabAdoption {
    }

    /** The same lab is there: keep it, put back what is missing. */
    record Adopt(List<String> namespaces) implements LabAdoption {
    }

    /** Another lab (or one of unknown shape) is there: remove it, then build. */
    record Rebuild(List<String> namespaces, String reason) implements LabAdoption {
    }

    static LabAdoption decide(LabShape wanted, Optional<LabShape> recorded, List<String> existing) {
        if (existing.isEmpty()) {
            return new Fresh();
        }
        if (recorded.isEmpty()) {
            return new Rebuild(existing, "no record of how they were built");
        }
        if (!recorded.get().equals(wanted)) {
            return new Rebuild(existing, "they were built as " + recorded.get() + ", not " + wanted);
        }
        return new Adopt(existing);
    }
}
