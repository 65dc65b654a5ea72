package dev.knet.cli.command;

import dev.knet.cli.CliException;
import dev.knet.cli.Main;
import dev.knet.cli.cluster.ClusterClient;
import dev.knet.cli.cluster.Clusters;
import dev.knet.model.Manifests;
import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.util.List;
import java.util.concurrent.Callable;

/** knet delete -f FILE|DIR|-  or  knet delete KIND NAME... */
@Command(name = "delete", description = "Delete objects named by manifests or by kind and name.")
public final class DeleteCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Option(names = {"-f", "--filename"}, paramLabel = "FILE|DIR|-")
    List<String> files;

    @Parameters(arity = "0..*", paramLabel = "KIND NAME...")
    List<String> words;

    @Option(names = {"-n", "--namespace"})
    String namespace;

    @Option(names = "--ignore-not-found", description = "Succeed when an object does not exist.")
    boolean ignoreNotFound;

    @Override
    public Integer call() {
        int failures = 0;
        try (ClusterClient cluster = Clusters.connect(main.home())) {
            if (files != null) {
                for (String f : files) {
                    for (HasMetadata o : Manifests.read(f)) {
                        ResourceKind<?> kind = ResourceKinds.of(o).orElseThrow(() -> new CliException(
                                "no kind \"" + o.getKind() + "\" in version \"" + o.getApiVersion() + "\""));
                        String ns = o.getMetadata().getNamespace() != null ? o.getMetadata().getNamespace()
                                : namespace == null ? "default" : namespace;
                        failures += deleteOne(cluster, kind, ns, o.getMetadata().getName());
                    }
                }
            } else {
                if (words == null || words.size() < 2) {
                    throw new CliException("give -f FILE or KIND NAME...");
                }
                ResourceKind<?> kind = ResourceKinds.byName(words.getFirst()).orElseThrow(() -> new CliException(
                        "the server doesn't have a resource type \"" + words.getFirst() + "\""));
                for (String name : words.subList(1, words.size())) {
                    failures += deleteOne(cluster, kind, namespace == null ? "default" : namespace, name);
                }
            }
        }
        return failures == 0 ? 0 : 1;
    }

    private int deleteOne(ClusterClient cluster, ResourceKind<?> kind, String ns, String name) {
        if (cluster.delete(kind, kind.namespaced() ? ns : null, name)) {
            System.out.println(Names.qualified(kind, name) + " deleted");
            return 0;
        }
        if (!ignoreNotFound) {
            System.err.println("Error from server (NotFound): " + kind.plural() + " \"" + name + "\" not found");
            return 1;
        }
        return 0;
    }
}
