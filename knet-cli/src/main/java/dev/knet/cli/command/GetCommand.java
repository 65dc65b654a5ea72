package dev.knet.cli.command;

import dev.knet.cli.CliException;
import dev.knet.cli.Main;
import dev.knet.cli.cluster.ClusterClient;
import dev.knet.cli.cluster.Clusters;
import dev.knet.cli.lab.DaemonInfo;
import dev.knet.cli.print.LabServiceTables;
import dev.knet.cli.print.ListTable;
import dev.knet.cli.print.ObjectPrinter;
import dev.knet.cli.print.ServiceTables;
import dev.knet.cli.print.ServiceWideData;
import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** knet get KIND [NAME] [-n NS | -A] [-o wide|yaml|json|name] [-l SELECTOR]. */
@Command(name = "get", description = "Display objects: tables like kubectl's, or JSON/YAML.")
public final class GetCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "KIND", description = "pods, services, endpointslices, nodes, ...")
    String kindName;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = {"-n", "--namespace"}, description = "Namespace (default: default).")
    String namespace;

    @Option(names = {"-A", "--all-namespaces"}, description = "Objects of every namespace.")
    boolean allNamespaces;

    @Option(names = {"-o", "--output"}, description = "wide, json, yaml or name.")
    String output;

    @Option(names = {"-l", "--selector"}, description = "Label selector, e.g. app=web,tier!=db.")
    String selector;

    @Override
    public Integer call() {
        ResourceKind<?> kind = ResourceKinds.byName(kindName).orElseThrow(() -> new CliException(
                "the server doesn't have a resource type \"" + kindName + "\""));
        ObjectPrinter.Format format = ObjectPrinter.parseFormat(output);
        String ns = ListTable.namespace(kind, namespace, allNamespaces);
        try (ClusterClient cluster = Clusters.connect(main.home())) {
            List<HasMetadata> objects = new ArrayList<>();
            if (name != null) {
                objects.add(cluster.get(kind, ns, name).orElseThrow(() -> new CliException(
                        kind.plural() + " \"" + name + "\" not found")));
            } else {
                objects.addAll(cluster.list(kind, ns, selector));
            }
            if (objects.isEmpty() && (format == ObjectPrinter.Format.TABLE || format == ObjectPrinter.Format.WIDE)) {
                System.err.println(ListTable.emptyMessage(ns));
                return 0;
            }
            ServiceWideData services = kind.equals(ResourceKinds.SERVICE) && format == ObjectPrinter.Format.WIDE
                    ? serviceWideData(cluster, ns) : ServiceWideData.NONE;
            System.out.print(ObjectPrinter.print(kind, objects, format, allNamespaces, name != null, services));
        }
        return 0;
    }

    /**
     * The slices behind ENDPOINTS and, when a lab daemon runs, its nodes' services tables behind PROGRAMMED.
     * Only for -o wide: plain `get svc` reads neither.
     */
    private ServiceWideData serviceWideData(ClusterClient cluster, String ns) {
        List<EndpointSlice> slices = cluster.list(ResourceKinds.ENDPOINT_SLICE, ns, null);
        ServiceTables tables = DaemonInfo.running(main.home().clusterDir())
                .<ServiceTables>map(d -> new LabServiceTables(d.clusterName(), () -> cluster.list(ResourceKinds.NODE, null, null)
                        .stream().map(n -> n.getMetadata().getName()).toList()))
                .orElseGet(() -> ServiceTables.unavailable("no lab is running"));
        return new ServiceWideData(slices, tables);
    }
}
