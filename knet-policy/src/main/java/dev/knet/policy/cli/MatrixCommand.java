package dev.knet.policy.cli;

import dev.knet.policy.Protocol;
import dev.knet.policy.matrix.OfflineMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code knet policy matrix}: every pod pair, as truth tables or JSON rows with reasons. */
@Command(name = "matrix", mixinStandardHelpOptions = true,
        description = "Connectivity of every pod pair ('.' allowed, 'X' denied, '~' the pod itself).")
final class MatrixCommand implements Callable<Integer> {

    enum Format { table, json }

    @ParentCommand
    PolicyCommand parent;

    @Option(names = {"-f", "--filename"}, paramLabel = "DIR", description = "manifests (file or directory; repeatable) instead of the lab")
    java.util.List<String> manifests;

    @Option(names = "--ports", split = ",", defaultValue = "80", paramLabel = "PORT", description = "ports (default 80)")
    List<Integer> ports;

    @Option(names = "--protocols", split = ",", defaultValue = "TCP", paramLabel = "PROTO",
            description = "protocols: TCP, UDP, SCTP (default TCP)")
    List<String> protocols;

    @Option(names = {"-o", "--output"}, defaultValue = "table", description = "table or json (default table)")
    Format format;

    @Override
    public Integer call() {
        protocols.forEach(Protocol::parse);
        OfflineMatrix matrix = OfflineMatrix.fromManifests(parent.objects(manifests), ports, protocols);
        PrintWriter out = parent.spec.commandLine().getOut();
        out.print(switch (format) {
            case table -> matrix.table();
            case json -> matrix.json();
        });
        out.flush();
        return 0;
    }
}
