package dev.knet.dataplane;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The same contract against the kernel as the agent drives it (in-process netlink), in scratch namespaces removed after each test. */
@Tag("lab")
class KernelDataplaneContractTest extends DataplaneContract {

    private static String prefix;

    @BeforeAll
    static void lab() {
        LabAssumptions.assumeLab();
        prefix = LabAssumptions.uniquePrefix();
    }

    @Override
    Dataplane dataplane() {
        return Dataplane.real();
    }

    @Override
    String prefix() {
        return prefix;
    }
}
