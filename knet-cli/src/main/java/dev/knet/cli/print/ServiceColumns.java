package dev.knet.cli.print;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Service columns: kubectl's, and with -o wide also ENDPOINTS (from the EndpointSlices) and PROGRAMMED (what
 * the nodes' Service proxies hold in the kernel). Without -o wide nothing beyond the Service is looked at.
 */
final class ServiceColumns implements Columns<Service> {

    private final ServiceWideData data;

    ServiceColumns(ServiceWideData data) {
        this.data = data;
    }

    @Override
    public List<String> headers(boolean wide) {
        List<String> h = new ArrayList<>(List.of("NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"));
        if (wide) {
            h.addAll(List.of("SELECTOR", "ENDPOINTS", "PROGRAMMED"));
        }
        return h;
    }

    @Override
    public List<String> cells(Service s, boolean wide, Instant now) {
        var spec = s.getSpec();
        String type = spec.getType() == null ? "ClusterIP" : spec.getType();
        String ports = spec.getPorts().stream().map(NetworkColumns::port).collect(Collectors.joining(","));
        List<String> c = new ArrayList<>(List.of(s.getMetadata().getName(), type,
                spec.getClusterIP() == null ? "<pending>" : spec.getClusterIP(), NetworkColumns.externalIp(s, type),
                ports, Ages.since(s.getMetadata().getCreationTimestamp(), now)));
        if (wide) {
            List<EndpointSlice> slices = data.slicesOf(s);
            c.add(NetworkColumns.labels(spec.getSelector()));
            c.add(ServiceEndpoints.cell(slices));
            c.add(ProgrammedColumn.cell(s, slices, data::readout));
        }
        return c;
    }
}
