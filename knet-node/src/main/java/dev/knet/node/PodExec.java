package dev.knet.node;

import dev.knet.dataplane.netns.NetnsNames;
import dev.knet.dns.resolv.PodHosts;
import dev.knet.workloads.ExecCommands;
import dev.knet.workloads.net.NettyLoops;
import dev.knet.workloads.pod.DnsPodResolver;
import dev.knet.workloads.pod.NetnsExecutor;
import dev.knet.workloads.pod.PodContext;
import dev.knet.workloads.pod.PodSockets;
import dev.knet.workloads.pod.ResolvConfig;
import io.fabric8.kubernetes.api.model.Pod;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code knet exec} and {@code knet logs}: runs a command in a pod (built-in commands such as
 * {@code /agnhost connect} in-process, anything else through {@code ip netns exec}) and finds
 * container logs. Works from any process on the node: it needs only the pod object and its netns.
 */
public final class PodExec implements AutoCloseable {

    private final NetnsExecutor netnsExecutor;
    private final NodeAgentDeps.NetnsCommand netnsCommand;
    private final ContainerMounts mounts;
    private final PodEtcFiles etcFiles;
    private NettyLoops loops;

    public PodExec(NetnsExecutor netnsExecutor, Path etcNetnsDir, NodeAgentDeps.NetnsCommand netnsCommand,
                   ContainerMounts mounts) {
        this.netnsExecutor = netnsExecutor;
        this.netnsCommand = netnsCommand;
        this.mounts = mounts;
        this.etcFiles = new PodEtcFiles(etcNetnsDir);
    }

    /**
     * The real one: setns for built-ins, /etc/netns files, {@code ip netns exec} for processes, each in
     * a UTS namespace with the pod's hostname (and a hostNetwork pod's resolv.conf mounted), as its
     * containers run.
     */
    public static PodExec real() {
        return new PodExec(NetnsExecutor.kernel(), NodeAgents.ETC_NETNS, NodeAgentDeps.NetnsCommand.ipNetnsExec(),
                ContainerMounts.privateNamespace());
    }

    /** The pod's network namespace as its node agent annotated it. */
    public static Optional<String> netnsOf(Pod pod) {
        return Optional.ofNullable(pod.getMetadata().getAnnotations()).map(a -> a.get(PodApi.NETNS_ANNOTATION))
                .filter(NetnsNames::isKnet);
    }

    /** A container's log file under the node's state directory. */
    public static Path logFile(Path stateDir, String namespace, String pod, String container) {
        return ContainerLauncher.logFile(stateDir, namespace, pod, container);
    }

    /** Runs {@code argv} in the pod and returns its exit code; output goes to {@code out}/{@code err}. */
    public int exec(Pod pod, String netns, List<String> argv, PrintStream out, PrintStream err) {
        NetnsNames.requireKnet(netns);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("exec needs a command");
        }
        Optional<Integer> builtin = ExecCommands.tryRunBuiltin(argv, context(pod, netns), out, err);
        if (builtin.isPresent()) {
            return builtin.get();
        }
        try {
            String node = pod.getSpec() == null ? null : pod.getSpec().getNodeName();
            String hostname = PodHosts.hostname(pod, node == null ? "" : node);
            List<String> command = mounts.wrap(etcFiles.mounts(pod, netns), hostname, argv);
            Process p = new ProcessBuilder(netnsCommand.wrap(netns, command)).start();
            p.getOutputStream().close();
            Thread copyErr = Thread.ofVirtual().start(() -> copy(p.getErrorStream(), err));
            copy(p.getInputStream(), out);
            int code = p.waitFor();
            copyErr.join();
            return code;
        } catch (IOException e) {
            err.println("exec " + argv.getFirst() + ": " + e.getMessage());
            return 126; // the shell's "cannot execute"
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 130;
        }
    }

    private synchronized PodContext context(Pod pod, String netns) {
        if (loops == null) {
            loops = NettyLoops.start(1);
        }
        PodSockets sockets = new PodSockets(netns, netnsExecutor, loops);
        ResolvConfig resolv;
        try {
            resolv = ResolvConfig.parse(Files.readString(etcFiles.dir(pod, netns).resolve("resolv.conf")));
        } catch (IOException e) {
            resolv = new ResolvConfig(List.of(), List.of(), ResolvConfig.DEFAULT_NDOTS);
        }
        String ip = pod.getStatus() == null || pod.getStatus().getPodIP() == null
                ? "0.0.0.0" : pod.getStatus().getPodIP();
        return PodContext.of(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getName(),
                InetAddress.ofLiteral(ip), netns, sockets, new DnsPodResolver(resolv, sockets), Map.of());
    }

    private static void copy(InputStream in, OutputStream out) {
        try (in) {
            in.transferTo(out);
            out.flush();
        } catch (IOException e) {
            // the process went away mid-stream; its exit code tells the rest
        }
    }

    @Override
    public synchronized void close() {
        if (loops != null) {
            loops.close();
        }
    }
}
