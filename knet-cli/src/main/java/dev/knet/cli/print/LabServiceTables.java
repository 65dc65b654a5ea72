package dev.knet.cli.print;

import dev.knet.cli.print.ServiceTables.NodeReadout;
import dev.knet.cli.print.ServiceTables.Readout;
import dev.knet.dataplane.netns.NetnsNames;
import dev.knet.lab.LabNames;

import dev.knet.agent.services.ServiceLayout;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Reads the services table of every node of a running lab: {@code ip netns exec knet-<cluster>-<node> nft -j
 * list table ip knet-services}. Read-only, and only ever inside a {@code knet-} namespace (checked before
 * anything runs): listing never changes a ruleset, and the root namespace is never named.
 */
public final class LabServiceTables implements ServiceTables {

    /** The agent's table. */
    static final String TABLE = ServiceLayout.TABLE.name();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final LabNames names;
    private final Supplier<List<String>> nodeNames;

    /** {@code nodeNames} is asked only when a reading is needed, so a plain {@code get svc} lists no nodes. */
    public LabServiceTables(String cluster, Supplier<List<String>> nodeNames) {
        this.names = new LabNames(cluster);
        this.nodeNames = Objects.requireNonNull(nodeNames, "nodeNames");
    }

    @Override
    public Readout read() {
        Map<String, NodeReadout> byNode = new HashMap<>();
        for (String node : nodeNames.get()) {
            byNode.put(node, readNode(names.node(node)));
        }
        return new Readout.Nodes(byNode);
    }

    private static NodeReadout readNode(String netns) {
        if (!NetnsNames.isKnet(netns)) {
            return new NodeReadout.Unreadable("not a knet namespace: " + netns);
        }
        if (!Files.exists(Path.of(NetnsNames.path(netns)))) {
            return new NodeReadout.Unreadable("no namespace " + netns);
        }
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("knet-svc", ".json");
            err = Files.createTempFile("knet-svc", ".err");
            List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", netns, "nft", "-j", "list", "table", "ip", TABLE));
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                return new NodeReadout.Unreadable("nft timed out in " + netns);
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                // "No such file or directory": the agent has not created its table yet, so nothing is programmed.
                return stderr.contains("No such file or directory") && stderr.contains(TABLE)
                        ? new NodeReadout.Read(NodeServiceTable.EMPTY)
                        : new NodeReadout.Unreadable(firstLine(stderr));
            }
            return new NodeReadout.Read(NftServiceTableParser.parse(Files.readString(out, StandardCharsets.UTF_8)));
        } catch (IOException | NftServiceTableParser.MalformedTableException e) {
            return new NodeReadout.Unreadable("cannot read " + TABLE + " in " + netns + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new NodeReadout.Unreadable("interrupted");
        } finally {
            delete(out);
            delete(err);
        }
    }

    private static String firstLine(String text) {
        String t = text.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }

    private static void delete(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover temp file is harmless
            }
        }
    }
}
