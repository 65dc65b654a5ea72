package dev.knet.cni.runtime;

import java.nio.file.Path;
import java.util.Map;

/**
 * How the runtime runs a plugin: the seam that lets tests use scripts, the lab run a plugin inside a
 * node namespace, and the agent call knet's plugin in-process.
 */
@FunctionalInterface
public interface PluginExec {

    /** Runs {@code plugin} with exactly these CNI variables added to the environment and {@code stdin}. */
    ExecResult exec(Path plugin, Map<String, String> cniEnv, byte[] stdin);

    /** Whether this exec runs {@code type} itself, so no executable needs to be in CNI_PATH. */
    default boolean provides(String type) {
        return false;
    }

    /** The plugin's stdout, exit status and stderr (kept for error messages). */
    record ExecResult(int exitCode, byte[] stdout, String stderr) {
    }
}
