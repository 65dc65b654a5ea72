package dev.knet.dataplane;

import dev.knet.dataplane.link.VethSpec;
import dev.knet.dataplane.route.Route;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FakeDataplaneContractTest extends DataplaneContract {

    private final FakeDataplane fake = new FakeDataplane();

    @Override
    Dataplane dataplane() {
        return fake.dataplane();
    }

    @Override
    String prefix() {
        return "knet-fake";
    }

    @Test
    void injectedFaultHitsTheNthCallOnly() {
        fake.faults().failOn("links.setUp", 2);
        dp.links().createVeth(a, new VethSpec("ve-a", "ve-b", b, 0));
        dp.links().setUp(a, "ve-a");

        assertThatThrownBy(() -> dp.links().setUp(b, "ve-b")).hasMessageContaining("injected failure in links.setUp");
        dp.links().setUp(b, "ve-b");
    }

    @Test
    void routesOfADeletedNamespaceAreForgotten() {
        dp.links().createVeth(a, new VethSpec("ve-a", "ve-b", b, 0));
        dp.links().setUp(a, "ve-a");
        dp.routes().add(a, Route.to("10.1.0.0/16").dev("ve-a"));

        dp.netns().delete(a);
        dp.netns().create(a);

        assertThat(dp.routes().list(a)).isEmpty();
    }
}
