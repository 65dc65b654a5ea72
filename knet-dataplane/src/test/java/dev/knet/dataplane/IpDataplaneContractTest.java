package dev.knet.dataplane;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The contract against the kernel with every step an iproute2 process ({@code Dataplane.real(runner)}),
 * beside {@link KernelDataplaneContractTest}'s in-process dataplane: both must leave the same state.
 */
@Tag("lab")
class IpDataplaneContractTest extends DataplaneContract {

    private static String prefix;

    @BeforeAll
    static void lab() {
        LabAssumptions.assumeLab();
        prefix = LabAssumptions.uniquePrefix();
    }

    @Override
    Dataplane dataplane() {
        return Dataplane.real(new ProcessCommandRunner());
    }

    @Override
    String prefix() {
        return prefix;
    }
}
