package dev.knet.lab;

import dev.knet.dataplane.CommandRunner;
import dev.knet.dataplane.NetnsScope;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Routed mode with {@code --bgp}: one bird daemon per node namespace, started once the node has its
 * podCIDR; a changed podCIDR rewrites the config and reloads it ({@code birdc configure}). The
 * daemons live in the node namespaces, so removing the lab (which kills every process in them)
 * stops them; nothing here needs its own teardown.
 */
public final class BgpSpeakers implements PodCidrReconciler {

    private static final Logger LOG = LoggerFactory.getLogger(BgpSpeakers.class);

    private final CommandRunner runner;
    private final LabNames names;
    private final List<LabNode> nodes;
    private final Path dir;
    private final Map<String, String> running = new HashMap<>();

    /** {@code dir}: config, control socket and pid file per node, under the cluster's state folder. */
    public BgpSpeakers(CommandRunner runner, LabNames names, List<LabNode> nodes, Path dir) {
        this.runner = runner;
        this.names = names;
        this.nodes = List.copyOf(nodes);
        this.dir = dir;
    }

    @Override
    public synchronized void reconcile(Map<String, String> podCidrs) {
        for (LabNode node : nodes) {
            String cidr = podCidrs.get(node.name());
            if (cidr == null || cidr.equals(running.get(node.name()))) {
                continue;
            }
            Path nodeDir = dir.resolve(node.name());
            write(nodeDir.resolve("bird.conf"), BirdConfig.render(node, cidr, nodes));
            String ns = names.node(node.name());
            boolean up = running.containsKey(node.name()) || answers(ns, nodeDir);
            List<String> argv = up
                    ? List.of("ip", "netns", "exec", ns, "birdc", "-s", socket(nodeDir), "configure")
                    : List.of("ip", "netns", "exec", ns, "bird", "-c", nodeDir.resolve("bird.conf").toString(),
                            "-s", socket(nodeDir), "-P", nodeDir.resolve("bird.pid").toString());
            // bird daemonizes (stdio to /dev/null), so this returns once it is up
            runner.run(NetnsScope.admin(), argv);
            LOG.info("bird on {} announces {}{}", node.name(), cidr, up ? " (reconfigured)" : "");
            running.put(node.name(), cidr);
        }
    }

    /**
     * Whether a bird from an earlier run of this lab still serves the node's control socket: the
     * daemons outlive a stopped lab daemon (they keep the routes while it is gone) and are adopted.
     */
    private boolean answers(String ns, Path nodeDir) {
        if (!Files.exists(nodeDir.resolve("bird.ctl"))) {
            return false;
        }
        return runner.tryRun(NetnsScope.admin(), List.of("ip", "netns", "exec", ns, "birdc", "-s", socket(nodeDir),
                "show", "status")).succeeded();
    }

    @Override
    public synchronized void forget() {
        // the daemons hold their own state; re-announcing is BGP's job, not a resync's
    }

    private static String socket(Path nodeDir) {
        return nodeDir.resolve("bird.ctl").toString();
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
