package dev.knet.cni.runtime;

import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniException;
import dev.knet.dataplane.netns.NetnsNames;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Runs a plugin as a child process. {@link #inNetns} prefixes {@code ip netns exec NODE}, so a
 * plugin that configures "the host" (the reference bridge plugin) works on a lab node namespace
 * instead of the machine's own network.
 */
public final class ProcessPluginExec implements PluginExec {

    private static final Executor DRAIN = task -> Thread.ofVirtual().name("knet-cni-drain").start(task);

    private final List<String> prefix;
    private final Map<String, String> extraEnv;

    private ProcessPluginExec(List<String> prefix, Map<String, String> extraEnv) {
        this.prefix = List.copyOf(prefix);
        this.extraEnv = Map.copyOf(extraEnv);
    }

    public static ProcessPluginExec direct() {
        return new ProcessPluginExec(List.of(), Map.of());
    }

    public static ProcessPluginExec inNetns(String nodeNetns) {
        return new ProcessPluginExec(List.of("ip", "netns", "exec", NetnsNames.requireKnet(nodeNetns)), Map.of());
    }

    /** Adds variables every plugin call gets (e.g. KNET_CNI_SOCKET for knet's thin client). */
    public ProcessPluginExec withEnv(Map<String, String> env) {
        Map<String, String> merged = new java.util.HashMap<>(extraEnv);
        merged.putAll(env);
        return new ProcessPluginExec(prefix, merged);
    }

    @Override
    public ExecResult exec(Path plugin, Map<String, String> cniEnv, byte[] stdin) {
        List<String> argv = new ArrayList<>(prefix);
        argv.add(plugin.toString());
        ProcessBuilder pb = new ProcessBuilder(argv);
        // a variable left over from our own environment must not leak into the call
        pb.environment().keySet().removeIf(k -> k.startsWith("CNI_"));
        pb.environment().putAll(extraEnv);
        pb.environment().putAll(cniEnv);
        try {
            Process p = pb.start();
            // drained on virtual threads: blocking reads in the small common pool starve other users
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()), DRAIN);
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readBytes(p.getInputStream()), DRAIN);
            try (OutputStream in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException e) {
                // a plugin may exit without reading stdin (VERSION); its output still tells what happened
            }
            int exit = p.waitFor();
            return new ExecResult(exit, out.join(), err.join());
        } catch (IOException e) {
            throw new CniException(CniError.of(CniError.IO_FAILURE, "cannot run plugin " + plugin, e.getMessage()), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CniException(CniError.of(CniError.IO_FAILURE, "interrupted running " + plugin, null), e);
        }
    }

    private static byte[] readBytes(java.io.InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String readAll(java.io.InputStream in) {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }
}
