package dev.knet.cli.lab;

import dev.knet.lab.ClusterDnsAddon;
import dev.knet.lab.IngressAddon;
import dev.knet.lab.LabOptions;
import dev.knet.lab.NamespaceLab;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.HasMetadata;
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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The lab daemon: API store, control plane and the REST API on loopback, plus the lab network and
 * its node agents, the cluster DNS and ingress add-ons, and the host's loopback port to the ingress; beside
 * the API, `get` tables already rendered for the light client ({@link TableEndpoint}).
 * `knet up` starts it in the background; `knet down` stops it with SIGTERM, and
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
        TableEndpoint.Listening tables = TableEndpoint.over(store).listen(0);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<IngressHostPort> ingressPort = new AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping the lab {}", options.clusterName());
            IngressHostPort port = ingressPort.get();
            if (port != null) {
                port.close();
            }
            try {
                lab.close();
            } catch (RuntimeException e) {
                LOG.warn("lab teardown failed", e);
            }
            tables.close();
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
        try {
            lab.start(api.url(), store, config);
        } catch (Exception | Error e) {
            // the API server's threads would keep a half-started daemon alive forever; exiting runs
            // the shutdown hook, which removes what was built
            LOG.error("lab {} failed to start", options.clusterName(), e);
            System.exit(1);
        }
        if (lab.runsPods()) {
            List<HasMetadata> addons = new ArrayList<>(ClusterDnsAddon.objects(api.url(), config.dnsServiceIp()));
            addons.addAll(IngressAddon.objects(api.url()));
            store.commit(addons.stream().<Mutation>map(Mutation.Apply::new).toList());
            int port = IngressHostPort.configuredPort();
            if (port > 0 && lab instanceof NamespaceLab namespaces) {
                ingressPort.set(IngressHostPort.start(store, port, namespaces.names().external()));
            }
        }
        new DaemonInfo(ProcessHandle.current().pid(), api.url(), options.clusterName(), options.mode().name()
                .toLowerCase(), config.nodes().size(), Instant.now().toString(), tables.url()).write(clusterDir);
        LOG.info("lab {} is up: API {}", options.clusterName(), api.url());
        stopped.await();
    }
}
