package dev.knet.cli.print;

import dev.knet.model.KnetJson;
import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Renders `knet get` output: kubectl-style tables, or JSON/YAML (a List for several objects). */
public final class ObjectPrinter {

    /** The output formats of -o. */
    public enum Format { TABLE, WIDE, JSON, YAML, NAME }

    private static final Map<ResourceKind<?>, Columns<?>> COLUMNS = Map.of(
            ResourceKinds.POD, WorkloadColumns.PODS,
            ResourceKinds.DEPLOYMENT, WorkloadColumns.DEPLOYMENTS,
            ResourceKinds.NODE, WorkloadColumns.NODES,
            ResourceKinds.ENDPOINT_SLICE, NetworkColumns.ENDPOINT_SLICES,
            ResourceKinds.NETWORK_POLICY, NetworkColumns.NETWORK_POLICIES,
            ResourceKinds.INGRESS, NetworkColumns.INGRESSES);

    private ObjectPrinter() {
    }

    public static Format parseFormat(String output) {
        if (output == null || output.isEmpty()) {
            return Format.TABLE;
        }
        return switch (output) {
            case "wide" -> Format.WIDE;
            case "json" -> Format.JSON;
            case "yaml" -> Format.YAML;
            case "name" -> Format.NAME;
            default -> throw new IllegalArgumentException("unable to match a printer suitable for the output format \""
                    + output + "\", allowed formats are: json,name,wide,yaml");
        };
    }

    /**
     * Prints objects of one kind. A single named object prints bare in JSON/YAML, several as a List.
     */
    public static String print(ResourceKind<?> kind, List<? extends HasMetadata> objects, Format format,
                               boolean allNamespaces, boolean single) {
        return print(kind, objects, format, allNamespaces, single, ServiceWideData.NONE);
    }

    /**
     * As above; Services printed wide take their ENDPOINTS and PROGRAMMED columns from {@code services}
     * (see {@link ServiceWideData}), which other kinds and formats ignore.
     */
    public static String print(ResourceKind<?> kind, List<? extends HasMetadata> objects, Format format,
                               boolean allNamespaces, boolean single, ServiceWideData services) {
        return switch (format) {
            case JSON -> single && objects.size() == 1 ? KnetJson.toJson(objects.getFirst()) + "\n"
                    : KnetJson.toJson(asList(objects)) + "\n";
            case YAML -> single && objects.size() == 1 ? KnetJson.toYaml(objects.getFirst())
                    : KnetJson.toYaml(asList(objects));
            case NAME -> {
                StringBuilder sb = new StringBuilder();
                for (HasMetadata o : objects) {
                    sb.append(kind.plural().equals(kind.kind().toLowerCase() + "s") ? kind.kind().toLowerCase()
                            : kind.kind().toLowerCase()).append('/').append(o.getMetadata().getName()).append('\n');
                }
                yield sb.toString();
            }
            case TABLE, WIDE -> table(kind, objects, format == Format.WIDE, allNamespaces, services);
        };
    }

    public static KubernetesList asList(List<? extends HasMetadata> objects) {
        KubernetesList list = new KubernetesList();
        list.setApiVersion("v1");
        list.setKind("List");
        list.setItems(new ArrayList<>(objects));
        return list;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String table(ResourceKind<?> kind, List<? extends HasMetadata> objects, boolean wide,
                                boolean allNamespaces, ServiceWideData services) {
        Columns columns = kind.equals(ResourceKinds.SERVICE) ? new ServiceColumns(services)
                : COLUMNS.getOrDefault(kind, GenericColumns.INSTANCE);
        Instant now = Instant.now();
        List<String> headers = new ArrayList<>();
        if (allNamespaces && kind.namespaced()) {
            headers.add("NAMESPACE");
        }
        headers.addAll(columns.headers(wide));
        Table table = new Table(headers);
        for (HasMetadata o : objects) {
            List<String> cells = new ArrayList<>();
            if (allNamespaces && kind.namespaced()) {
                cells.add(o.getMetadata().getNamespace());
            }
            cells.addAll(columns.cells(o, wide, now));
            table.row(cells);
        }
        return table.render();
    }
}
