package dev.knet.cni.bench;

import dev.knet.cni.lab.Lab;
import dev.knet.cni.plugin.KnetCniPlugin;
import dev.knet.cni.runtime.CniRuntime;
import dev.knet.cni.runtime.InProcessPluginExec;
import dev.knet.cni.runtime.ProcessPluginExec;
import dev.knet.cni.runtime.RuntimeConf;
import dev.knet.cni.server.KnetCniServer;
import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;
import dev.knet.cni.spec.NetworkConfigList;
import dev.knet.dataplane.Dataplane;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * ADD+DEL latency of one pod attachment, knet against the reference bridge plugin, same run, same
 * node. Run as root from the knet-cni directory:
 * <pre>java -cp target/classes:target/test-classes:$(cat cp.txt) dev.knet.cni.bench.CniBench [n] [nJvm]</pre>
 * Variants: knet's handler alone, knet through the runtime inside the agent (no process; with its own
 * IPAM files, and as the node agent really calls it, the address passed through the ips capability), knet via the launcher forwarding to the agent's
 * server (one small JVM per call), knet's launcher standalone (a full JVM per call), and the
 * reference bridge + host-local run under {@code ip netns exec NODE}, as kubelet/containerd would
 * run them on a node (one Go process per plugin, plus the ip wrapper).
 */
public final class CniBench {

    private interface Attach {
        void add(String containerId) throws Exception;

        void del(String containerId) throws Exception;
    }

    private record Stats(String name, int n, double addP50, double addP99, double delP50, double delP99) {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int nJvm = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        String prefix = "knet-bench" + UUID.randomUUID().toString().substring(0, 4);
        Dataplane dp = Dataplane.real();
        String node = prefix + "-node";
        String pod = prefix + "-pod";
        Path tmp = Files.createTempDirectory("knet-cni-bench");
        dp.netns().create(node);
        dp.netns().create(pod);
        List<Stats> results = new ArrayList<>();
        try {
            KnetCniPlugin plugin = new KnetCniPlugin(dp);
            String knetConf = """
                    {"cniVersion":"1.1.0","name":"knet","type":"knet","mode":"bridge","nodeNetns":"%s","mtu":1450,
                     "ipam":{"type":"host-local","subnet":"10.244.0.0/16","dataDir":"%s"}}""".formatted(node, tmp.resolve("ipam"));
            NetworkConfigList knetList = NetworkConfigList.parse(knetConf);
            RuntimeConf base = RuntimeConf.of("x", "/run/netns/" + pod, "eth0");

            results.add(measure("knet plugin.handle (no runtime)", n, handleAttach(plugin, pod, knetConf)));

            CniRuntime agent = new CniRuntime(List.of(), tmp.resolve("cache"),
                    new InProcessPluginExec(Map.of("knet", plugin::handle), ProcessPluginExec.direct()));
            results.add(measure("knet runtime in-process", n, runtimeAttach(agent, knetList, base)));

            // what the node agent really runs: in-process, the address from the control plane's IPAM
            // through the ips capability (no IPAM files), as PodSandboxes passes it
            NetworkConfigList agentList = NetworkConfigList.parse("""
                    {"cniVersion":"1.1.0","name":"knet","plugins":[{"type":"knet","mode":"bridge","nodeNetns":"%s",
                     "mtu":1450,"capabilities":{"ips":true},"ipam":{"type":"host-local","subnet":"10.244.0.0/16",
                     "dataDir":"%s"}}]}""".formatted(node, tmp.resolve("ipam")));
            results.add(measure("knet node agent path (ips cap.)", n, new Attach() {
                public void add(String id) {
                    agent.addNetworkList(agentList, agentConf(id, base));
                }

                public void del(String id) {
                    agent.delNetworkList(agentList, agentConf(id, base));
                }
            }));

            Path bin = tmp.resolve("bin");
            Lab.installLauncher(bin);
            Path socket = tmp.resolve("cni.sock");
            CniRuntime thin = new CniRuntime(List.of(bin), tmp.resolve("cache"),
                    ProcessPluginExec.direct().withEnv(Map.of(KnetCniPlugin.SOCKET_ENV, socket.toString())));
            try (KnetCniServer ignored = KnetCniServer.start(socket, plugin::handle)) {
                results.add(measure("knet launcher -> agent socket", n, runtimeAttach(thin, knetList, base)));
            }
            CniRuntime standalone = new CniRuntime(List.of(bin), tmp.resolve("cache"),
                    ProcessPluginExec.direct().withEnv(Map.of(KnetCniPlugin.SOCKET_ENV, "off")));
            results.add(measure("knet launcher standalone JVM", nJvm, runtimeAttach(standalone, knetList, base)));

            NetworkConfigList ref = NetworkConfigList.parse("""
                    {"cniVersion":"1.0.0","name":"refnet","plugins":[{"type":"bridge","bridge":"knref0",
                      "isGateway":true,"ipMasq":false,"mtu":1450,
                      "ipam":{"type":"host-local","subnet":"10.250.0.0/16","dataDir":"%s"}}]}""".formatted(tmp.resolve("refipam")));
            CniRuntime reference = new CniRuntime(List.of(Path.of("/usr/lib/cni")), tmp.resolve("cache"),
                    ProcessPluginExec.inNetns(node));
            results.add(measure("reference bridge+host-local", n, runtimeAttach(reference, ref, base)));
        } finally {
            dp.netns().delete(pod);
            dp.netns().delete(node);
        }
        print(results);
    }

    private static Attach handleAttach(KnetCniPlugin plugin, String pod, String conf) {
        return new Attach() {
            public void add(String id) {
                expectOk(plugin.handle(request("ADD", id, pod, conf)));
            }

            public void del(String id) {
                expectOk(plugin.handle(request("DEL", id, pod, conf)));
            }
        };
    }

    private static Attach runtimeAttach(CniRuntime runtime, NetworkConfigList list, RuntimeConf base) {
        return new Attach() {
            public void add(String id) {
                runtime.addNetworkList(list, RuntimeConf.of(id, base.netns(), base.ifName()));
            }

            public void del(String id) {
                runtime.delNetworkList(list, RuntimeConf.of(id, base.netns(), base.ifName()));
            }
        };
    }

    /** A distinct address per attachment id, as the control plane's IPAM would hand out. */
    private static RuntimeConf agentConf(String id, RuntimeConf base) {
        int k = Math.floorMod(id.hashCode(), 60000) + 2;
        String ip = "10.244." + (k / 250) + "." + (k % 250 + 2) + "/16";
        return RuntimeConf.of(id, base.netns(), base.ifName()).withCapability("ips", List.of(ip));
    }

    private static Stats measure(String name, int n, Attach attach) throws Exception {
        int warmup = Math.max(2, n / 10);
        double[] add = new double[n];
        double[] del = new double[n];
        for (int i = -warmup; i < n; i++) {
            String id = "bench-" + name.hashCode() + "-" + i;
            long t0 = System.nanoTime();
            attach.add(id);
            long t1 = System.nanoTime();
            attach.del(id);
            long t2 = System.nanoTime();
            if (i >= 0) {
                add[i] = (t1 - t0) / 1e6;
                del[i] = (t2 - t1) / 1e6;
            }
        }
        Stats s = new Stats(name, n, pct(add, 50), pct(add, 99), pct(del, 50), pct(del, 99));
        System.out.printf("done: %s%n", s);
        return s;
    }

    static double pct(double[] values, int p) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    /** Every variant beside the reference from the same run; the ratios are knet / reference (goal <= 1.0). */
    private static void print(List<Stats> results) {
        Stats ref = results.getLast();
        System.out.printf("%n%-32s %5s %9s %9s %9s %9s %8s %8s %8s %8s%n", "variant", "n", "ADD p50", "ADD p99",
                "DEL p50", "DEL p99", "ADD50 x", "ADD99 x", "DEL50 x", "DEL99 x");
        for (Stats s : results) {
            System.out.printf("%-32s %5d %7.2fms %7.2fms %7.2fms %7.2fms %7.2fx %7.2fx %7.2fx %7.2fx%n", s.name(), s.n(),
                    s.addP50(), s.addP99(), s.delP50(), s.delP99(), s.addP50() / ref.addP50(),
                    s.addP99() / ref.addP99(), s.delP50() / ref.delP50(), s.delP99() / ref.delP99());
        }
    }

    static CniRequest request(String command, String id, String pod, String conf) {
        return new CniRequest(Map.of(CniRequest.COMMAND, command, CniRequest.CONTAINER_ID, id, CniRequest.IFNAME, "eth0",
                CniRequest.NETNS, "/run/netns/" + pod), conf.getBytes(StandardCharsets.UTF_8));
    }

    static void expectOk(CniResponse r) {
        if (r.exitCode() != 0) {
            throw new IllegalStateException("plugin failed: " + r.stdoutText());
        }
    }
}
