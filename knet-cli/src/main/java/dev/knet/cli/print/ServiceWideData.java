package dev.knet.cli.print;

import dev.knet.agent.services.ServiceTranslator;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * What `get svc -o wide` needs beyond the Services: their EndpointSlices and the nodes' services tables. The
 * tables are read at most once, on the first row that needs them.
 */
public final class ServiceWideData {

    /** Plain `get svc`, or a caller without a cluster at hand: no slices, no kernel. */
    public static final ServiceWideData NONE = new ServiceWideData(List.of(), ServiceTables.unavailable("not read"));

    private final Map<String, List<EndpointSlice>> slicesByService = new HashMap<>();
    private final Supplier<ServiceTables.Readout> readout;

    public ServiceWideData(List<EndpointSlice> slices, ServiceTables tables) {
        Objects.requireNonNull(tables, "tables");
        for (EndpointSlice slice : slices) {
            ServiceTranslator.owner(slice).ifPresent(key -> slicesByService
                    .computeIfAbsent(key.namespace() + "/" + key.name(), k -> new ArrayList<>()).add(slice));
        }
        this.readout = memoize(tables::read);
    }

    List<EndpointSlice> slicesOf(Service s) {
        return slicesByService.getOrDefault(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), List.of());
    }

    ServiceTables.Readout readout() {
        return readout.get();
    }

    private static <T> Supplier<T> memoize(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public synchronized T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }
}
