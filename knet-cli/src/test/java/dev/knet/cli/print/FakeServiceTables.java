package dev.knet.cli.print;

import java.util.LinkedHashMap;
import java.util.Map;

/** Node tables held in memory; counts how often they were read, so tests can tell "not read at all". */
final class FakeServiceTables implements ServiceTables {

    private final Map<String, NodeReadout> byNode = new LinkedHashMap<>();
    private int reads;

    FakeServiceTables node(String name, NodeServiceTable table) {
        byNode.put(name, new NodeReadout.Read(table));
        return this;
    }

    FakeServiceTables unreadable(String name) {
        byNode.put(name, new NodeReadout.Unreadable("permission denied"));
        return this;
    }

    int reads() {
        return reads;
    }

    @Override
    public Readout read() {
        reads++;
        return new Readout.Nodes(byNode);
    }
}
