package dev.knet.cni.lab;

import dev.knet.cni.plugin.KnetCniPlugin;
import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;
import dev.knet.dataplane.CommandResult;
import dev.knet.dataplane.CommandRunner;
import dev.knet.dataplane.Dataplane;
import dev.knet.dataplane.NetnsScope;
import dev.knet.dataplane.ProcessCommandRunner;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one pod sandbox costs in processes, the way the node agent makes it: namespace, CNI ADD,
 * CNI DEL, namespace delete. The first pod of a node is not counted (it pays for node state: the
 * bridge, ip_forward). The iproute2 dataplane is the baseline; the agent's in-process one must
 * spawn nothing at all per pod.
 */
@Tag("lab")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ProcessesPerPodLabTest {

    @TempDir
    Path ipamDir;

    @ParameterizedTest(name = "{0} mode, {1} dataplane")
    @CsvSource({
            "bridge, iproute2,   5, 7",
            "vxlan,  iproute2,   5, 7",
            "bridge, in-process, 0, 0",
            "vxlan,  in-process, 0, 0"})
    void processesPerPod(String mode, String dataplane, int minSpawns, int maxSpawns) {
        Lab.assumeLab();
        CountingRunner runner = new CountingRunner();
        Function<CommandRunner, Dataplane> factory = dataplane.equals("iproute2") ? Dataplane::real : Dataplane::inProcess;
        Dataplane dp = factory.apply(runner);
        String prefix = "knet-" + UUID.randomUUID().toString().substring(0, 6);
        String node = prefix + "-node";
        List<String> created = new ArrayList<>();
        try {
            dp.netns().create(node);
            created.add(node);
            KnetCniPlugin plugin = new KnetCniPlugin(dp);
            String conf = """
                    {"cniVersion":"1.1.0","name":"knet","type":"knet","mode":"%s","nodeNetns":"%s","mtu":1450,
                     "ipam":{"type":"host-local","subnet":"10.244.1.0/24","dataDir":"%s"}}"""
                    .formatted(mode, node, ipamDir);
            sandbox(dp, plugin, conf, prefix + "-p0", created); // node state
            runner.argvs.clear();

            sandbox(dp, plugin, conf, prefix + "-p1", created);

            System.out.printf("%s mode, %s dataplane: %d processes per pod %s%n", mode, dataplane,
                    runner.argvs.size(), runner.argvs);
            assertThat(runner.argvs).as("processes spawned for one pod").hasSizeBetween(minSpawns, maxSpawns);
        } finally {
            created.reversed().forEach(ns -> dp.netns().delete(ns));
        }
    }

    private static void sandbox(Dataplane dp, KnetCniPlugin plugin, String conf, String pod, List<String> created) {
        dp.netns().create(pod);
        created.add(pod);
        expectOk(plugin.handle(request("ADD", pod, conf)));
        expectOk(plugin.handle(request("DEL", pod, conf)));
        dp.netns().delete(pod);
        created.remove(pod);
    }

    private static CniRequest request(String command, String pod, String conf) {
        return new CniRequest(Map.of(CniRequest.COMMAND, command, CniRequest.CONTAINER_ID, pod,
                CniRequest.IFNAME, "eth0", CniRequest.NETNS, "/run/netns/" + pod), conf.getBytes(StandardCharsets.UTF_8));
    }

    private static void expectOk(CniResponse response) {
        assertThat(response.exitCode()).as(response.stdoutText()).isZero();
    }

    /** The real runner, each call (one process) recorded. */
    private static final class CountingRunner implements CommandRunner {
        final List<String> argvs = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final ProcessCommandRunner real = new ProcessCommandRunner();

        @Override
        public CommandResult tryRun(NetnsScope scope, List<String> argv, String stdin) {
            argvs.add(String.join(" ", argv));
            return real.tryRun(scope, argv, stdin);
        }
    }
}
