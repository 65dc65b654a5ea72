package dev.knet.cli.command;

import dev.knet.cli.CliException;
import dev.knet.cli.Main;
import dev.knet.cli.cluster.ClusterClient;
import dev.knet.cli.cluster.Clusters;
import dev.knet.cli.print.Describer;
import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** knet describe KIND [NAME]: the object's facts in prose-like sections, with related endpoints. */
@Command(name = "describe", description = "Show details of objects.")
public final class DescribeCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Parameters(index = "0", paramLabel = "KIND")
    String kindName;

    @Parameters(index = "1", arity = "0..1", paramLabel = "NAME")
    String name;

    @Option(names = {"-n", "--namespace"})
    String namespace;

    @Override
    public Integer call() {
        ResourceKind<?> kind = ResourceKinds.byName(kindName).orElseThrow(() -> new CliException(
                "the server doesn't have a resource type \"" + kindName + "\""));
        String ns = kind.namespaced() ? (namespace == null ? "default" : namespace) : null;
        try (ClusterClient cluster = Clusters.connect(main.home())) {
            List<? extends HasMetadata> objects = name != null
                    ? List.of(cluster.get(kind, ns, name).orElseThrow(() -> new CliException(
                    kind.plural() + " \"" + name + "\" not found")))
                    : cluster.list(kind, ns, null);
            Describer describer = new Describer(cluster);
            StringBuilder out = new StringBuilder();
            for (HasMetadata o : objects) {
                if (!out.isEmpty()) {
                    out.append("\n\n");
                }
                out.append(describer.describe(o));
            }
            System.out.print(out);
        }
        return 0;
    }
}
