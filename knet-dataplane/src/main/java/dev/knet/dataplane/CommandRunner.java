package dev.knet.dataplane;

import java.util.List;

/**
 * Runs one {@code ip}, {@code bridge} or {@code sysctl} argv list in an explicit scope. The
 * scope is part of every call on purpose: nothing can run "wherever the process happens to be".
 */
public interface CommandRunner {

    /** Runs the command; throws {@link DataplaneException} (stderr kept) when it fails. */
    default CommandResult run(NetnsScope scope, List<String> argv) {
        return run(scope, argv, null);
    }

    /** Runs the command with {@code stdin} as its input (e.g. {@code ip -batch -}); null means none. */
    default CommandResult run(NetnsScope scope, List<String> argv, String stdin) {
        CommandResult result = tryRun(scope, argv, stdin);
        if (!result.succeeded()) {
            throw DataplaneException.of(result);
        }
        return result;
    }

    /** Runs the command and returns whatever happened; only I/O trouble throws. */
    default CommandResult tryRun(NetnsScope scope, List<String> argv) {
        return tryRun(scope, argv, null);
    }

    CommandResult tryRun(NetnsScope scope, List<String> argv, String stdin);
}
