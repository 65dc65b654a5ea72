package dev.knet.lab;

import dev.knet.control.config.ClusterConfig;

import java.util.ArrayList;
import java.util.List;

/** How a lab is built: its name, node count, pod-network mode and whether routes come over BGP. */
public record LabOptions(String clusterName, int nodes, LabMode mode, boolean bgp) {

    public LabOptions {
        // No '-': namespace names are knet-CLUSTER-..., and cleaning up "ab" must never touch "ab-x".
        if (!clusterName.matches("[a-z0-9]{1,16}")) {
            throw new IllegalArgumentException("cluster name \"" + clusterName + "\" must be 1-16 lowercase letters"
                    + " or digits (it prefixes the lab's namespace names)");
        }
        if (nodes < 1 || nodes > 20) {
            throw new IllegalArgumentException("--nodes must be between 1 and 20, not " + nodes);
        }
        if (bgp && mode != LabMode.ROUTED) {
            throw new IllegalArgumentException("--bgp goes with --mode routed");
        }
    }

    public ClusterConfig config() {
        return ClusterConfig.withNodes(clusterName, nodes);
    }

    /** The daemon's command line for these options. */
    public List<String> toArgs() {
        List<String> args = new ArrayList<>(List.of("--name", clusterName, "--nodes", Integer.toString(nodes),
                "--mode", mode.name().toLowerCase()));
        if (bgp) {
            args.add("--bgp");
        }
        return args;
    }

    public static LabOptions parse(String[] args) {
        String name = "knet";
        int nodes = 3;
        LabMode mode = LabMode.VXLAN;
        boolean bgp = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--name" -> name = args[++i];
                case "--nodes" -> nodes = Integer.parseInt(args[++i]);
                case "--mode" -> mode = LabMode.parse(args[++i]);
                case "--bgp" -> bgp = true;
                default -> throw new IllegalArgumentException("unknown daemon argument " + args[i]);
            }
        }
        return new LabOptions(name, nodes, mode, bgp);
    }
}
