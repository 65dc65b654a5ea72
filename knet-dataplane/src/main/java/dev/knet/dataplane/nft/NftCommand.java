package dev.knet.dataplane.nft;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Runs the {@code nft} binary inside one named network namespace ({@code ip netns exec NAME nft -f -}).
 * There is deliberately no way to run it in the caller's own namespace: a knet process must never change the
 * host's ruleset, so a missing namespace name is refused at construction.
 */
public final class NftCommand implements Nftables {

    private static final Pattern NETNS = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
    private static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(2);

    private final String namespace;
    private final Duration timeout;

    public NftCommand(String namespace) {
        this(namespace, DEFAULT_TIMEOUT);
    }

    /** A run that takes longer than {@code timeout} is killed and reported as an OTHER failure. */
    public NftCommand(String namespace, Duration timeout) {
        this.timeout = java.util.Objects.requireNonNull(timeout, "timeout");
        if (namespace == null || namespace.isBlank()) {
            throw new IllegalArgumentException("a network namespace name is required: nft never runs in the root namespace");
        }
        if (!NETNS.matcher(namespace).matches()) {
            throw new IllegalArgumentException("invalid network namespace name \"" + namespace + "\"");
        }
        this.namespace = namespace;
    }

    public String namespace() {
        return namespace;
    }

    @Override
    public void run(NftTransaction transaction) throws NftException {
        if (transaction.isEmpty()) {
            return;
        }
        exec(List.of("nft", "-f", "-"), transaction.toString());
    }

    @Override
    public String dump() throws NftException {
        return exec(List.of("nft", "list", "ruleset"), "");
    }

    /** Lists one table, or fails with NOT_FOUND when it is not there. */
    public String list(NftObject.Table table) throws NftException {
        return exec(List.of("nft", "list", "table", table.family().text(), table.name()), "");
    }

    @Override
    public String list(NftObject.Flushable object) throws NftException {
        List<String> args = new java.util.ArrayList<>(List.of("nft", "list"));
        args.addAll(List.of(object.ref().split(" ")));
        return exec(args, "");
    }

    private String exec(List<String> nftArgs, String stdin) throws NftException {
        Path out = null;
        Path err = null;
        try {
            // Files, not pipes: nft reads all input before it writes, but a big error report could still fill a pipe.
            out = Files.createTempFile("knet-nft", ".out");
            err = Files.createTempFile("knet-nft", ".err");
            var command = new java.util.ArrayList<>(List.of("ip", "netns", "exec", namespace));
            command.addAll(nftArgs);
            Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (OutputStream in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new NftException(NftException.Kind.OTHER, "nft timed out in netns " + namespace, "");
            }
            String stderr = Files.readString(err);
            if (process.exitValue() != 0) {
                NftException.Kind kind = NftException.classify(stderr);
                throw new NftException(kind, "nft failed in netns " + namespace + " (" + kind + "): "
                        + firstLine(stderr), stderr);
            }
            return Files.readString(out);
        } catch (IOException e) {
            throw new NftException(NftException.Kind.OTHER, "cannot run nft in netns " + namespace, "", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NftException(NftException.Kind.OTHER, "interrupted running nft in netns " + namespace, "", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
