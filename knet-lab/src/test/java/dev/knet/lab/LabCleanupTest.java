package dev.knet.lab;

import dev.knet.dataplane.FakeDataplane;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class LabCleanupTest {

    @TempDir
    Path etcNetns;

    @Test
    void removesOnlyItsOwnLabsNamespacesAndIsIdempotent() throws Exception {
        FakeDataplane fake = new FakeDataplane();
        for (String ns : new String[] {"knet-ab-underlay", "knet-ab-node-1", "knet-ab-pod-x", "knet-abc-node-1",
                "knet-other-underlay"}) {
            fake.netns().create(ns);
        }
        Files.createDirectories(etcNetns.resolve("knet-ab-pod-x"));
        Files.writeString(etcNetns.resolve("knet-ab-pod-x").resolve("resolv.conf"), "nameserver 10.96.0.10\n");
        Files.createDirectories(etcNetns.resolve("knet-abc-node-1"));
        Path hostNetworkPod = etcNetns.resolve(".knet-hostnet/knet-ab-node-1/uid-1");
        Files.createDirectories(hostNetworkPod);
        Files.writeString(hostNetworkPod.resolve("resolv.conf"), "nameserver 10.96.0.10\n");
        Files.createDirectories(etcNetns.resolve(".knet-hostnet/knet-abc-node-1/uid-2"));
        LabCleanup cleanup = new LabCleanup(fake.dataplane().netns(), null, etcNetns);

        assertThat(cleanup.remove(new LabNames("ab"))).isEmpty();
        assertThat(cleanup.remove(new LabNames("ab"))).isEmpty();

        assertThat(fake.netns().list()).containsExactly("knet-abc-node-1", "knet-other-underlay");
        assertThat(etcNetns.resolve("knet-ab-pod-x")).as("per-namespace files go with the namespace").doesNotExist();
        assertThat(etcNetns.resolve("knet-abc-node-1")).as("another lab's files stay").exists();
        assertThat(etcNetns.resolve(".knet-hostnet/knet-ab-node-1")).as("a node's hostNetwork pods' files go too")
                .doesNotExist();
        assertThat(etcNetns.resolve(".knet-hostnet/knet-abc-node-1/uid-2")).as("another lab's stay").exists();
    }
}
