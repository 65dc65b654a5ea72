package dev.knet.proxy.lab;

import dev.knet.dataplane.netns.NetnsNames;
import dev.knet.dataplane.netns.NetnsThread;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * A small lab of network namespaces named knet-&lt;unique&gt;-..., wired with veth pairs created
 * inside them ("ip -n"), so the root namespace is never touched. Removed whole by close().
 */
final class LabNamespaces implements AutoCloseable {

    private final String prefix = "knet-ilab" + UUID.randomUUID().toString().substring(0, 6);
    private final List<String> created = new ArrayList<>();

    /** Why lab tests cannot run here, or empty when they can. */
    static Optional<String> unavailable() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("lab tests need root (network namespaces)");
        }
        for (String dir : List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin")) {
            if (Files.isExecutable(Path.of(dir, "ip"))) {
                return Optional.empty();
            }
        }
        return Optional.of("the ip command (iproute2) is missing");
    }

    String add(String role) throws IOException {
        String name = NetnsNames.requireKnet(prefix + "-" + role);
        ip("netns", "add", name);
        created.add(name);
        ip("-n", name, "link", "set", "lo", "up");
        return name;
    }

    /** A veth pair from a (interface aIf, address aCidr) to b (eth-like bIf, bCidr), both up. */
    void link(String a, String aIf, String aCidr, String b, String bIf, String bCidr) throws IOException {
        ip("-n", a, "link", "add", aIf, "type", "veth", "peer", "name", bIf, "netns", b);
        ip("-n", a, "addr", "add", aCidr, "dev", aIf);
        ip("-n", b, "addr", "add", bCidr, "dev", bIf);
        ip("-n", a, "link", "set", aIf, "up");
        ip("-n", b, "link", "set", bIf, "up");
    }

    /** A TCP connection opened from inside netns (the socket stays there). */
    static Socket connect(String netns, InetSocketAddress to) throws Exception {
        return NetnsThread.run(netns, () -> {
            Socket s = new Socket();
            s.connect(to, 5_000);
            s.setSoTimeout(15_000);
            return s;
        });
    }

    static <T> T in(String netns, Callable<T> work) throws Exception {
        return NetnsThread.run(netns, work);
    }

    private static void ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ip"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " timed out");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(String.join(" ", command) + " interrupted", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out.strip());
        }
    }

    @Override
    public void close() {
        for (String name : created.reversed()) {
            try {
                ip("netns", "del", name);
            } catch (IOException e) {
                System.err.println("lab cleanup: " + e.getMessage() + " (knet down --all removes leftovers)");
            }
        }
        created.clear();
    }
}
