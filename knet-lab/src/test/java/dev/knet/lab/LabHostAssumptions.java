package dev.knet.lab;

import org.junit.jupiter.api.Assumptions;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** Lab tests need root and iproute2; without them they skip and say why. */
final class LabHostAssumptions {

    private LabHostAssumptions() {
    }

    static void assumeLab() {
        LabHost.whyNot().ifPresent(reason -> Assumptions.abort("lab test skipped: " + reason));
    }

    /** A cluster name no other run uses, e.g. "t3f9a". */
    static String uniqueCluster() {
        byte[] bytes = new byte[2];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "t" + HexFormat.of().formatHex(bytes);
    }
}
