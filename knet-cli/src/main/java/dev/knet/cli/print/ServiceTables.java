package dev.knet.cli.print;

import java.util.Map;
import java.util.Objects;

/**
 * Where the PROGRAMMED column of {@code get svc -o wide} comes from: what each node's Service proxy holds in
 * the kernel. The lab reads nftables in the node namespaces ({@link LabServiceTables}); tests hold tables in a
 * fake. Read once per command, and only when a row needs it.
 */
public interface ServiceTables {

    Readout read();

    /** No kernel to read: no lab runs (the state-directory cluster has no dataplane). */
    static ServiceTables unavailable(String reason) {
        Readout.Unavailable none = new Readout.Unavailable(reason);
        return () -> none;
    }

    sealed interface Readout {

        /** Nothing can be read at all; every row that needs the kernel shows "?". */
        record Unavailable(String reason) implements Readout {
            public Unavailable {
                Objects.requireNonNull(reason, "reason");
            }
        }

        /** One reading per node of the cluster, keyed by node name. */
        record Nodes(Map<String, NodeReadout> byNode) implements Readout {
            public Nodes {
                byNode = Map.copyOf(byNode);
            }
        }
    }

    sealed interface NodeReadout {

        record Read(NodeServiceTable table) implements NodeReadout {
            public Read {
                Objects.requireNonNull(table, "table");
            }
        }

        /** The node's table could not be read (not root, namespace gone, nft failed). */
        record Unreadable(String reason) implements NodeReadout {
            public Unreadable {
                Objects.requireNonNull(reason, "reason");
            }
        }
    }
}
