package dev.knet.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * How a built lab is laid out (mode, node count, BGP), kept in its state folder beside the node
 * agents' state. A restarted daemon compares it with what it is asked for: the same shape means
 * the namespaces it finds are its own lab, to adopt; any other shape means they are rebuilt.
 */
public record LabShape(LabMode mode, int nodes, boolean bgp) {

    public static final String FILE = "lab-shape.properties";

    public static LabShape of(LabOptions options) {
        return new LabShape(options.mode(), options.nodes(), options.bgp());
    }

    /** The shape recorded in {@code stateDir}; empty when none is, or it cannot be read. */
    public static Optional<LabShape> read(Path stateDir) {
        Path file = stateDir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (var in = Files.newBufferedReader(file)) {
            Properties p = new Properties();
            p.load(in);
            return Optional.of(new LabShape(LabMode.parse(p.getProperty("mode", "")),
                    Integer.parseInt(p.getProperty("nodes", "0")), Boolean.parseBoolean(p.getProperty("bgp"))));
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // an unreadable record is no record: the lab is rebuilt
        }
    }

    public void write(Path stateDir) {
        try {
            Files.createDirectories(stateDir);
            Path tmp = stateDir.resolve(FILE + ".tmp");
            Files.writeString(tmp, "mode=" + mode.name().toLowerCase(java.util.Locale.ROOT) + "\nnodes=" + nodes
                    + "\nbgp=" + bgp + "\n");
            Files.move(tmp, stateDir.resolve(FILE), StandardCopyOption.ATOMIC_MOVE,
                    StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot record the lab's shape in " + stateDir, e);
        }
    }

    /** The options that rebuild this shape under {@code clusterName}. */
    public LabOptions toOptions(String clusterName) {
        return new LabOptions(clusterName, nodes, mode, bgp);
    }

    @Override
    public String toString() {
        return mode.name().toLowerCase(java.util.Locale.ROOT) + (bgp ? "+bgp" : "") + ", " + nodes + " nodes";
    }
}
