package dev.knet.store.journal;

import java.nio.file.Path;
import java.util.OptionalLong;

/** Another process (or another store in this one) holds the state directory: only one writer may. */
public final class StateLockedException extends RuntimeException {

    private final Path stateDir;
    private final OptionalLong pid;

    public StateLockedException(Path stateDir, OptionalLong pid) {
        super("state directory " + stateDir + " is in use by another knet process (pid "
                + (pid.isPresent() ? Long.toString(pid.getAsLong()) : "unknown") + ")");
        this.stateDir = stateDir;
        this.pid = pid;
    }

    public Path stateDir() {
        return stateDir;
    }

    /** The holder's process id as it wrote it into the lock file, if readable. */
    public OptionalLong pid() {
        return pid;
    }
}
