package dev.knet.cli.print;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The ENDPOINTS cell: ready addresses:ports of a Service's slices, cut like kubectl's `get endpoints`. */
final class ServiceEndpoints {

    /** kubectl shows three and counts the rest. */
    static final int SHOWN = 3;

    private ServiceEndpoints() {
    }

    static String cell(List<EndpointSlice> slices) {
        Set<String> all = new LinkedHashSet<>();
        for (EndpointSlice slice : slices) {
            List<String> ready = new ArrayList<>();
            for (Endpoint e : slice.getEndpoints() == null ? List.<Endpoint>of() : slice.getEndpoints()) {
                // The API reads an unset "ready" as ready.
                if (e.getConditions() == null || !Boolean.FALSE.equals(e.getConditions().getReady())) {
                    ready.addAll(e.getAddresses());
                }
            }
            List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
            if (ports.isEmpty()) {
                all.addAll(ready);
            }
            // kubectl's order: port by port, each with every address.
            for (EndpointPort p : ports) {
                ready.forEach(a -> all.add(p.getPort() == null ? a : a + ":" + p.getPort()));
            }
        }
        if (all.isEmpty()) {
            return "<none>";
        }
        List<String> list = List.copyOf(all);
        return list.size() <= SHOWN ? String.join(",", list)
                : String.join(",", list.subList(0, SHOWN)) + " + " + (list.size() - SHOWN) + " more...";
    }
}
