package dev.knet.dataplane.netns;

import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.LabAssumptions;
import dev.knet.dataplane.link.LinkAddress;
import dev.knet.dataplane.link.VethSpec;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Tag("lab")
class NetnsThreadLabTest {

    @Test
    void runsInsideTheNamespaceAndLeavesTheCallerAlone() throws Exception {
        LabAssumptions.assumeLab();
        Dataplane dp = Dataplane.real();
        String ns = LabAssumptions.uniquePrefix() + "-thr";
        String peer = ns + "p";
        String before = Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString();
        dp.netns().create(ns);
        dp.netns().create(peer);
        try {
            dp.links().createVeth(ns, new VethSpec("probe0", "probe1", peer, 0));

            dp.links().addAddress(ns, "probe0", LinkAddress.parse("10.77.0.1/32"));
            // the address exists only inside the namespace, so binding to it proves where the socket lives
            try (ServerSocket server = NetnsThread.run(ns, () -> new ServerSocket(0, 1, InetAddress.getByName("10.77.0.1")))) {
                int port = server.getLocalPort();
                boolean connected = NetnsThread.run(ns, () -> {
                    try (Socket client = new Socket("10.77.0.1", port)) {
                        return client.isConnected();
                    }
                });
                assertThat(connected).as("socket stays in the namespace after the thread ends").isTrue();
            }
            String nsInode = NetnsThread.run(ns, () -> Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString());

            assertThat(nsInode).isNotEqualTo(before);
            assertThat(Files.readSymbolicLink(Path.of("/proc/thread-self/ns/net")).toString()).isEqualTo(before);
            assertThatThrownBy(() -> NetnsThread.run(ns, () -> {
                throw new IllegalStateException("task failed");
            })).hasMessage("task failed");
            assertThatThrownBy(() -> NetnsThread.run(ns + "-missing", () -> 1)).hasMessageContaining("cannot open");
        } finally {
            dp.netns().delete(ns);
            dp.netns().delete(peer);
        }
    }
}
