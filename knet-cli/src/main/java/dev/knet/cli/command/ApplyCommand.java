package dev.knet.cli.command;

import dev.knet.cli.Main;
import dev.knet.cli.cluster.ClusterClient;
import dev.knet.cli.cluster.Clusters;
import dev.knet.model.Manifests;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** knet apply -f FILE|DIR|- : all documents or none; returns once the control plane has acted. */
@Command(name = "apply", description = "Create or update objects from manifests (all or nothing).")
public final class ApplyCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = {"-f", "--filename"}, required = true, paramLabel = "FILE|DIR|-",
            description = "Manifest file, directory (all *.yaml, *.yml, *.json inside) or - for stdin.")
    List<String> files;

    @Option(names = {"-n", "--namespace"}, description = "Namespace for objects that name none.")
    String namespace;

    @Override
    public Integer call() {
        List<HasMetadata> objects = new ArrayList<>();
        for (String f : files) {
            objects.addAll(Manifests.read(f));
        }
        for (HasMetadata o : objects) {
            boolean namespaced = ResourceKinds.of(o).map(k -> k.namespaced()).orElse(true);
            if (namespaced && namespace != null && o.getMetadata().getNamespace() == null) {
                o.getMetadata().setNamespace(namespace);
            }
        }
        try (ClusterClient cluster = Clusters.connect(main.home())) {
            for (ClusterClient.Applied a : cluster.apply(objects)) {
                System.out.println(Names.qualified(a.object()) + " " + a.outcome().name().toLowerCase(Locale.ROOT));
            }
        }
        return 0;
    }
}
