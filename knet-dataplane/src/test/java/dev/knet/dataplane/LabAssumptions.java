package dev.knet.dataplane;

import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Lab tests need root and iproute2; without them they skip and say why. */
public final class LabAssumptions {

    private LabAssumptions() {
    }

    public static void assumeLab() {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "lab test skipped: needs root to create network namespaces");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/ip")) || Files.isExecutable(Path.of("/sbin/ip"))
                || Files.isExecutable(Path.of("/usr/bin/ip")), "lab test skipped: iproute2 'ip' is not installed");
    }

    /** A unique knet namespace prefix for one test run, e.g. "knet-t3f9a2c". */
    public static String uniquePrefix() {
        return "knet-t" + UUID.randomUUID().toString().substring(0, 6);
    }
}
