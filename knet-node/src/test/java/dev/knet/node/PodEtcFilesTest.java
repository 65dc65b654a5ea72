package dev.knet.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where a pod's resolv.conf and hosts go: its namespace's folder, or a hostNetwork pod's own. */
class PodEtcFilesTest {

    @TempDir
    Path etcNetns;

    private static Pod pod(String uid, boolean hostNetwork, String dnsPolicy) {
        return new PodBuilder().withNewMetadata().withName("p-" + uid).withNamespace("ns1").withUid(uid).endMetadata()
                .withNewSpec().withHostNetwork(hostNetwork).withDnsPolicy(dnsPolicy).withHostname("h").endSpec()
                .withNewStatus().withPodIP("10.244.1.5").endStatus().build();
    }

    @Test
    void aSandboxedPodsFilesAreItsNamespacesAndNeedNoMount() throws Exception {
        PodEtcFiles files = new PodEtcFiles(etcNetns);
        Pod pod = pod("u1", false, "ClusterFirst");

        files.write(pod, "knet-t-pod-a", "10.96.0.10", "cluster.local");

        assertThat(Files.readString(etcNetns.resolve("knet-t-pod-a/resolv.conf"))).contains("nameserver 10.96.0.10")
                .contains("search ns1.svc.cluster.local svc.cluster.local cluster.local");
        assertThat(Files.readString(etcNetns.resolve("knet-t-pod-a/hosts"))).contains("10.244.1.5\th");
        assertThat(files.mounts(pod, "knet-t-pod-a")).isEmpty();
    }

    @Test
    void hostNetworkPodsOfOneNodeEachHaveTheirOwnResolvConfMountedOverTheNodes() throws Exception {
        PodEtcFiles files = new PodEtcFiles(etcNetns);
        Pod withHostNet = pod("u1", true, "ClusterFirstWithHostNet");
        Pod plain = pod("u2", true, "Default");

        files.write(withHostNet, "knet-t-node-1", "10.96.0.10", "cluster.local");
        files.write(plain, "knet-t-node-1", "10.96.0.10", "cluster.local");

        Path first = etcNetns.resolve(".knet-hostnet/knet-t-node-1/u1/resolv.conf");
        assertThat(Files.readString(first)).contains("nameserver 10.96.0.10");
        assertThat(Files.readString(etcNetns.resolve(".knet-hostnet/knet-t-node-1/u2/resolv.conf")))
                .doesNotContain("10.96.0.10");
        assertThat(etcNetns.resolve("knet-t-node-1")).as("the node's own folder is left alone").doesNotExist();
        assertThat(files.mounts(withHostNet, "knet-t-node-1"))
                .containsExactly(new BindMount(first, "/etc/resolv.conf", BindMount.Access.READ_ONLY));

        files.removeHostNetwork("knet-t-node-1", "u1");
        assertThat(first.getParent()).doesNotExist();
        assertThat(etcNetns.resolve(".knet-hostnet/knet-t-node-1/u2")).exists();
        files.removeHostNetwork("knet-t-node-1", "u2");
        assertThat(etcNetns.resolve(".knet-hostnet/knet-t-node-1")).doesNotExist();
    }
}
