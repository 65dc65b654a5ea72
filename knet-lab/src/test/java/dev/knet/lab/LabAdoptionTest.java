package dev.knet.lab;

import dev.knet.control.config.ClusterConfig;
import dev.knet.dataplane.FakeDataplane;
import dev.knet.dataplane.link.LinkAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Whether a start adopts what it finds, and what adopting puts back (against the stateful fake). */
class LabAdoptionTest {

    private static final LabShape VXLAN_2 = new LabShape(LabMode.VXLAN, 2, false);
    private static final List<String> SOME = List.of("knet-ad-underlay", "knet-ad-node-1");

    record Row(String name, Optional<LabShape> recorded, List<String> existing, Class<?> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Row> decisions() {
        return Stream.of(
                new Row("nothing there: fresh", Optional.of(VXLAN_2), List.of(), LabAdoption.Fresh.class),
                new Row("same shape: adopt", Optional.of(VXLAN_2), SOME, LabAdoption.Adopt.class),
                new Row("other mode: rebuild", Optional.of(new LabShape(LabMode.ROUTED, 2, false)), SOME,
                        LabAdoption.Rebuild.class),
                new Row("other node count: rebuild", Optional.of(new LabShape(LabMode.VXLAN, 3, false)), SOME,
                        LabAdoption.Rebuild.class),
                new Row("no record: rebuild", Optional.empty(), SOME, LabAdoption.Rebuild.class));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decisions")
    void decides(Row row) {
        assertThat(LabAdoption.decide(VXLAN_2, row.recorded(), row.existing())).isInstanceOf(row.expected());
    }

    @Test
    void shapeSurvivesItsFile(@TempDir Path dir) {
        assertThat(LabShape.read(dir)).isEmpty();
        new LabShape(LabMode.ROUTED, 3, true).write(dir);
        assertThat(LabShape.read(dir)).contains(new LabShape(LabMode.ROUTED, 3, true));
    }

    @Test
    void adoptingPutsBackWhatIsMissingAndKeepsTheRest(@TempDir Path state) {
        FakeDataplane fake = new FakeDataplane();
        ClusterConfig config = ClusterConfig.withNodes("ad", 2);
        LabOptions options = new LabOptions("ad", 2, LabMode.VXLAN, false);
        new NamespaceLab(options, fake.dataplane(), null, state).buildNetwork(config);
        String n1 = "knet-ad-node-1";
        String n2 = "knet-ad-node-2";
        String macBefore = fake.links().find(n2, "knvx0").orElseThrow().mac();
        fake.links().delete(n1, "knvx0");
        fake.links().deleteAddress(n2, "eth0", LinkAddress.parse("198.18.0.12/24"));
        fake.links().delete("knet-ad-underlay", "ul-ext"); // takes the external host's eth0 with it
        fake.netns().create("knet-ad-p-0123456789ab"); // a pod sandbox: must survive

        NamespaceLab again = new NamespaceLab(options, fake.dataplane(), null, state);
        again.buildNetwork(config);

        assertThat(again.adoption()).isInstanceOf(LabAdoption.Adopt.class);
        assertThat(fake.links().find(n1, "knvx0")).as("vxlan device re-created").isPresent();
        assertThat(fake.links().find(n2, "knvx0").orElseThrow().mac()).as("untouched device kept")
                .isEqualTo(macBefore);
        assertThat(fake.links().find(n2, "eth0").orElseThrow().addresses())
                .containsExactly(LinkAddress.parse("198.18.0.12/24"));
        assertThat(fake.links().find("knet-ad-ext", "eth0")).isPresent();
        assertThat(fake.links().find("knet-ad-underlay", "ul-ext").orElseThrow().master()).isEqualTo("ul0");
        assertThat(fake.netns().list()).contains("knet-ad-p-0123456789ab");
    }

    @Test
    void adoptingALabWithoutBigTcpGivesItsUnderlayBigTcp(@TempDir Path state) {
        FakeDataplane fake = new FakeDataplane();
        ClusterConfig config = ClusterConfig.withNodes("bt", 2);
        LabOptions options = new LabOptions("bt", 2, LabMode.ROUTED, false);
        new NamespaceLab(options, fake.dataplane(), null, state).buildNetwork(config);
        fake.links().setGsoMaxSize("knet-bt-node-1", "eth0", 0); // as a lab made before BIG TCP
        fake.links().setGsoMaxSize("knet-bt-underlay", "ul-n1", 0);

        new NamespaceLab(options, fake.dataplane(), null, state).buildNetwork(config);

        assertThat(fake.links().gsoMaxSize("knet-bt-node-1", "eth0")).isEqualTo(196_608);
        assertThat(fake.links().gsoMaxSize("knet-bt-underlay", "ul-n1")).isEqualTo(196_608);
    }

    @Test
    void anotherShapeIsRebuiltFromScratch(@TempDir Path state) {
        FakeDataplane fake = new FakeDataplane();
        ClusterConfig config = ClusterConfig.withNodes("ad", 2);
        new NamespaceLab(new LabOptions("ad", 2, LabMode.VXLAN, false), fake.dataplane(), null, state)
                .buildNetwork(config);
        fake.netns().create("knet-ad-p-0123456789ab");

        NamespaceLab routed = new NamespaceLab(new LabOptions("ad", 2, LabMode.ROUTED, false), fake.dataplane(),
                null, state);
        routed.buildNetwork(config);

        assertThat(routed.adoption()).isInstanceOf(LabAdoption.Rebuild.class);
        assertThat(fake.netns().list()).doesNotContain("knet-ad-p-0123456789ab");
        assertThat(fake.links().find("knet-ad-node-1", "knvx0")).isEmpty();
        assertThat(LabShape.read(state)).contains(new LabShape(LabMode.ROUTED, 2, false));
    }

    @Test
    void anAdoptedVxlanLabKeepsOneCopyOfTheTunnelsConntrackExemption(@TempDir Path state) {
        FakeDataplane fake = new FakeDataplane();
        ClusterConfig config = ClusterConfig.withNodes("vx", 2);
        LabOptions options = new LabOptions("vx", 2, LabMode.VXLAN, false);
        new NamespaceLab(options, fake.dataplane(), null, state).buildNetwork(config);
        String first = fake.nftables("knet-vx-node-1").dump();

        NamespaceLab again = new NamespaceLab(options, fake.dataplane(), null, state);
        again.buildNetwork(config);

        assertThat(again.adoption()).isInstanceOf(LabAdoption.Adopt.class);
        assertThat(first).contains("ip daddr 198.18.0.11 udp dport 4789 notrack");
        assertThat(fake.nftables("knet-vx-node-1").dump()).isEqualTo(first);
    }
}
