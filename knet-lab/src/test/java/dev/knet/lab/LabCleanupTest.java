package dev.knet.lab;

import dev.knet.dataplane.FakeDataplane;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LabCleanupTest {

    @Test
    void removesOnlyItsOwnLabsNamespacesAndIsIdempotent() {
        FakeDataplane fake = new FakeDataplane();
        for (String ns : new String[] {"knet-ab-underlay", "knet-ab-node-1", "knet-ab-pod-x", "knet-abc-node-1",
                "knet-other-underlay"}) {
            fake.netns().create(ns);
        }
        LabCleanup cleanup = new LabCleanup(fake.dataplane().netns(), null);

        assertThat(cleanup.remove(new LabNames("ab"))).isEmpty();
        assertThat(cleanup.remove(new LabNames("ab"))).isEmpty();

        assertThat(fake.netns().list()).containsExactly("knet-abc-node-1", "knet-other-underlay");
    }
}
