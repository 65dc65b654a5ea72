package dev.knet.dataplane.netlink;

import dev.knet.dataplane.DataplaneException;
import dev.knet.dataplane.LabAssumptions;
import dev.knet.dataplane.ProcessCommandRunner;
import dev.knet.dataplane.link.IpLinks;
import dev.knet.dataplane.link.VethSpec;
import dev.knet.dataplane.netns.IpNetnsManager;
import dev.knet.dataplane.netns.NetnsThread;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A namespace made in-process is one iproute2 recognises: listed, usable with ip -n, lo up, gone on delete. */
@Tag("lab")
class InProcessNetnsLabTest {

    @Test
    void createdInProcessSeenByIproute2() throws Exception {
        LabAssumptions.assumeLab();
        ProcessCommandRunner runner = new ProcessCommandRunner();
        IpNetnsManager ip = new IpNetnsManager(runner);
        InProcessNetnsManager netns = new InProcessNetnsManager(ip);
        String name = LabAssumptions.uniquePrefix() + "-p";
        try {
            netns.create(name);

            assertThat(ip.list()).as("ip netns list").contains(name);
            assertThat(new IpLinks(runner).find(name, "lo").orElseThrow().up()).as("lo up").isTrue();
            String inside = NetnsThread.run(name, () -> HostNetnsGuard.identity(Path.of("/proc/thread-self/ns/net"))
                    .orElseThrow());
            assertThat(inside).isNotEqualTo(HostNetnsGuard.identity(Path.of("/proc/self/ns/net")).orElseThrow());
            assertThatThrownBy(() -> netns.create(name)).isInstanceOfSatisfying(DataplaneException.class,
                    e -> assertThat(e.kind()).isEqualTo(DataplaneException.Kind.EXISTS));

            netns.delete(name);

            assertThat(netns.exists(name)).isFalse();
            assertThat(Files.readString(Path.of("/proc/self/mountinfo"))).as("unmounted").doesNotContain(name);
            netns.delete(name); // idempotent
        } finally {
            ip.delete(name);
        }
    }

    @Test
    void linksInAMissingNamespaceAreNotFoundAndDeleteIsIdempotent() {
        LabAssumptions.assumeLab();
        NetlinkLinks links = new NetlinkLinks(new IpLinks(new ProcessCommandRunner()));
        String missing = LabAssumptions.uniquePrefix() + "-missing";

        assertThatThrownBy(() -> links.setUp(missing, "lo")).isInstanceOfSatisfying(DataplaneException.class,
                e -> assertThat(e.kind()).isEqualTo(DataplaneException.Kind.NOT_FOUND));
        links.delete(missing, "eth0");
    }

    @Test
    void aBigTcpVethPairHasTheLargerGsoLimitOnBothEnds() throws Exception {
        LabAssumptions.assumeLab();
        ProcessCommandRunner runner = new ProcessCommandRunner();
        IpNetnsManager ip = new IpNetnsManager(runner);
        NetlinkLinks links = new NetlinkLinks(new IpLinks(runner));
        String a = LabAssumptions.uniquePrefix() + "-bta";
        String b = LabAssumptions.uniquePrefix() + "-btb";
        try {
            ip.create(a);
            ip.create(b);
            links.createVeth(a, new VethSpec("big0", "big1", b, 0).withGsoMaxSize(VethSpec.BIG_TCP));

            assertThat(details(a, "big0")).contains("gso_max_size 196608", "gro_max_size 196608");
            assertThat(details(b, "big1")).contains("gso_max_size 196608", "gro_max_size 196608");
            links.setGsoMaxSize(b, "big1", 131_072);
            assertThat(details(b, "big1")).contains("gso_max_size 131072", "gro_max_size 131072");
        } finally {
            ip.delete(a);
            ip.delete(b);
        }
    }

    private static String details(String ns, String dev) throws Exception {
        Process p = new ProcessBuilder("ip", "-n", ns, "-d", "link", "show", dev).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }
}
