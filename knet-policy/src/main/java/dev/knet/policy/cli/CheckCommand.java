package dev.knet.policy.cli;

import dev.knet.policy.EndpointVerdict;
import dev.knet.policy.PolicyEngine;
import dev.knet.policy.Verdict;
import dev.knet.policy.matrix.OfflineMatrix;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** {@code knet policy check FROM TO[:PORT[/PROTO]]}: exit 0 when allowed, 1 when denied. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Can FROM reach TO? FROM: ns/pod or an IP. TO: ns/pod, svc/ns/name, a ClusterIP or an IP, "
                + "optionally :PORT (default 80) and /PROTO (TCP, UDP, SCTP; default TCP). Exit 0 allowed, 1 denied.")
final class CheckCommand implements Callable<Integer> {

    @ParentCommand
    PolicyCommand parent;

    @Parameters(index = "0", paramLabel = "FROM")
    String from;

    @Parameters(index = "1", paramLabel = "TO[:PORT[/PROTO]]")
    String to;

    @Option(names = {"-f", "--filename"}, paramLabel = "DIR", description = "manifests (file or directory; repeatable) instead of the lab")
    java.util.List<String> manifests;

    @Override
    public Integer call() {
        FlowTarget target = FlowTarget.parse(to);
        // offline manifests rarely carry addresses; the offline matrix assigns them deterministically
        PolicyEngine engine = manifests != null
                ? OfflineMatrix.offlineEngine(parent.objects(manifests))
                : PolicyEngine.of(parent.objects(null));
        Verdict verdict = engine.check(from, target.destination(), target.port(), target.protocol());
        PrintWriter out = parent.spec.commandLine().getOut();
        out.println((verdict.allowed() ? "ALLOWED " : "DENIED ") + verdict.source() + " -> " + verdict.destination()
                + " " + verdict.protocol() + "/" + verdict.port());
        if (verdict.endpoints().size() > 1 || !verdict.destination().equals(verdict.endpoints().stream()
                .map(EndpointVerdict::destination).findFirst().orElse(verdict.destination()))) {
            for (EndpointVerdict e : verdict.endpoints()) {
                out.println("  endpoint " + e.destination() + ":" + e.port() + " " + e.reason());
            }
        } else {
            out.println("  " + verdict.reason());
        }
        out.flush();
        return verdict.allowed() ? 0 : 1;
    }
}
