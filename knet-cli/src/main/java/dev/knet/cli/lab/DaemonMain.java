package dev.knet.cli.lab;

import dev.knet.lab.LabOptions;
import dev.knet.lab.LabRuntime;

import dev.knet.api.ApiServer;
import dev.knet.cli.KnetHome;
import dev.knet.cli.cluster.LocalCluster;
import dev.knet.control.config.ClusterConfig;
import dev.knet.control.ControlPlane;
import dev.knet.store.ApiStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * The lab daemon: API store, control plane and the REST API on loopback, plus the lab network and
 * its node agents. `knet up` starts it in the background; `knet down` stops it with SIGTERM, and
 * it tears the lab down before it exits.
 */
public final class DaemonMain {

    private static final Logger LOG = LoggerFactory.getLogger(DaemonMain.class);

    private DaemonMain() {
    }

    public static void main(String[] args) throws Exception {
        LabOptions options = LabOptions.parse(args);
        KnetHome home = KnetHome.resolve(options.clusterName(), null);
        Path clusterDir = home.clusterDir();
        Files.createDirectories(clusterDir);
        ClusterConfig config = options.config();
        ClusterConfigFile.write(config, clusterDir.resolve("cluster.yaml"));

        ApiStore store = LocalCluster.openStore(home.storeDir(), config);
        LabRuntime lab = LabRuntime.forMode(options, clusterDir);
        // A namespace lab runs pods with its node agents; without one (no root) the control plane
        // simulates a kubelet so the cluster's facts still converge.
        boolean simulate = lab instanceof LabRuntime.ControlPlaneOnly;
        ControlPlane controlPlane = ControlPlane.start(store, config,
                simulate ? ControlPlane.Options.simulated() : ControlPlane.Options.withNodeAgents());
        ApiServer api = ApiServer.start(new InetSocketAddress("127.0.0.1", 0), store, controlPlane::awaitIdle);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping the lab {}", options.clusterName());
            try {
                lab.close();
            } catch (RuntimeException e) {
                LOG.warn("lab teardown failed", e);
            }
            api.close();
            controlPlane.close();
            store.close();
            try {
                Files.deleteIfExists(clusterDir.resolve(DaemonInfo.FILE));
            } catch (java.io.IOException e) {
                LOG.warn("cannot remove {}", DaemonInfo.FILE, e);
            }
            stopped.countDown();
        }, "knet-shutdown"));
        lab.start(api.url(), store, config);
        if (lab.runsPods()) {
            store.commit(dev.knet.lab.ClusterDnsAddon.objects(api.url(), config.dnsServiceIp()).stream()
                    .<dev.knet.store.Mutation>map(dev.knet.store.Mutation.Apply::new).toList());
        }
        new DaemonInfo(ProcessHandle.current().pid(), api.url(), options.clusterName(), options.mode().name()
                .toLowerCase(), config.nodes().size(), Instant.now().toString()).write(clusterDir);
        LOG.info("lab {} is up: API {}", options.clusterName(), api.url());
        stopped.await();
    }
}
