package dev.knet.dataplane;

import java.util.List;

/**
 * Runs one {@code ip}, {@code bridge} or {@code sysctl} argv list in an explicit scope. The
 * scope is part of every call on purpose: nothing can run "wherever the process happens to be".
 */
public interface CommandRunner {

    /** Runs the command; throws {@link DataplaneException} (stderr kept) when it fails. */
    default CommandResult run(NetnsScope scope, List<String> argv) {
        CommandResult result = tryRun(scope, argv);
        if (!result.succeeded()) {
            throw DataplaneException.of(result);
        }
        return result;
    }

    /** Runs the command and returns whatever happened; only I/O trouble throws. */
    CommandResult tryRun(NetnsScope scope, List<String> argv);
}
