package dev.knet.cni.lab;

import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.netns.NetnsThread;
import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;

/** Scratch node and pod namespaces for one lab test, removed on close (also after a failure). */
public final class Lab implements AutoCloseable {

    public final Dataplane dp = Dataplane.real();
    public final String node;
    public final String pod;

    private Lab(String prefix) {
        this.node = prefix + "-node";
        this.pod = prefix + "-pod";
        try {
            dp.netns().create(node);
            dp.netns().create(pod);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    public static Lab open() {
        assumeLab();
        return new Lab("knet-" + UUID.randomUUID().toString().substring(0, 6));
    }

    public static void assumeLab() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "lab test skipped: needs root to create network namespaces");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/usr/bin/ip")),
                "lab test skipped: iproute2 'ip' is not installed");
    }

    public String podPath() {
        return "/run/netns/" + pod;
    }

    /**
     * ICMP echo from inside a namespace: as root, InetAddress.isReachable sends a real ping (the
     * machine has no ping binary, and this needs none).
     */
    public static boolean ping(String netns, String address) throws Exception {
        return NetnsThread.run(netns, () -> InetAddress.getByName(address).isReachable(2000));
    }

    /** Renders the knet-cni launcher template as an executable "knet" in {@code dir}. */
    public static Path installLauncher(Path dir) {
        try {
            String template = Files.readString(Path.of("src/main/dist/knet-cni"));
            String java = ProcessHandle.current().info().command().orElseThrow();
            String script = template.replace("@JAVA@", java).replace("@CLASSPATH@", classpath());
            Path target = Files.createDirectories(dir).resolve("knet");
            Files.writeString(target, script);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The plugin's runtime classpath: this module's classes plus its dependencies. */
    public static String classpath() {
        String cp = System.getProperty("knet.cni.classpath");
        if (cp != null) {
            return cp;
        }
        return System.getProperty("java.class.path");
    }

    @Override
    public void close() {
        dp.netns().delete(pod);
        dp.netns().delete(node);
    }
}
