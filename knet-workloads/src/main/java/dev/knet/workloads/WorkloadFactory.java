package dev.knet.workloads;

import dev.knet.workloads.agnhost.Agnhost;
import dev.knet.workloads.agnhost.AgnhostUsageException;
import dev.knet.workloads.agnhost.Pause;
import dev.knet.workloads.bookinfo.Bookinfo;
import dev.knet.workloads.bookinfo.BookinfoService;
import dev.knet.workloads.dns.ClusterDns;
import dev.knet.workloads.ingress.IngressControllerWorkload;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides, from a container's image and command line, whether knet runs it in-process. Known:
 * agnhost (any registry, e.g. registry.k8s.io/e2e-test-images/agnhost:2.53) with the netexec,
 * serve-hostname, pause and connect subcommands; the pause image; Istio's Bookinfo images
 * ([docker.io/]istio/examples-bookinfo-SERVICE-VERSION).
 */
public final class WorkloadFactory {

    private WorkloadFactory() {
    }

    /** Reads image, command, args, literal env values and ports from a pod spec's container. */
    public static WorkloadDecision forContainer(Container container) {
        Map<String, String> env = new LinkedHashMap<>();
        for (EnvVar var : Optional.ofNullable(container.getEnv()).orElse(List.of())) {
            if (var.getValue() != null) { // valueFrom (secrets, fieldRefs) is the agent's to resolve
                env.put(var.getName(), var.getValue());
            }
        }
        return forContainer(container.getImage(), nonNull(container.getCommand()), nonNull(container.getArgs()),
                env, Optional.ofNullable(container.getPorts()).orElse(List.of()));
    }

    /**
     * The decision for one container. {@code ports} are informational: a built-in workload listens
     * where its arguments (or, for Bookinfo, the PORT variable) say, as the real program would.
     */
    public static WorkloadDecision forContainer(String image, List<String> command, List<String> args,
                                                Map<String, String> env, List<ContainerPort> ports) {
        ImageRef ref = ImageRef.parse(image == null ? "" : image);
        if (ref.name().equals("agnhost")) {
            return agnhost(command, args);
        }
        if (ref.name().equals("pause") && (command.isEmpty() || isProgram(command.getFirst(), "pause"))) {
            return new WorkloadDecision.BuiltIn(new Pause());
        }
        if (ref.name().equals("coredns") && command.isEmpty()) {
            // Cluster DNS pods (CoreDNS's image, as kube-system runs it) are served by knet's DNS server.
            return new WorkloadDecision.BuiltIn(new ClusterDns(env));
        }
        if (ref.name().equals("ingress-controller") && ref.registry().equals("knet.dev") && command.isEmpty()) {
            // knet's own ingress controller image (the lab's ingress add-on runs it as ingress-nginx runs).
            try {
                return new WorkloadDecision.BuiltIn(new IngressControllerWorkload(args, env));
            } catch (IllegalArgumentException e) {
                return new WorkloadDecision.Invalid("ingress controller: " + e.getMessage());
            }
        }
        Optional<BookinfoService> bookinfo = BookinfoService.fromImage(ref);
        if (bookinfo.isPresent()) {
            if (!command.isEmpty()) {
                return new WorkloadDecision.NotBuiltIn("the container's command replaces the Bookinfo program");
            }
            return new WorkloadDecision.BuiltIn(new Bookinfo(bookinfo.get(), env));
        }
        if (command.isEmpty()) {
            return new WorkloadDecision.Invalid("image " + image
                    + " is not a built-in workload and the container has no command");
        }
        return new WorkloadDecision.NotBuiltIn("image " + image + " is not a built-in workload");
    }

    private static WorkloadDecision agnhost(List<String> command, List<String> args) {
        List<String> argv = new ArrayList<>();
        if (!command.isEmpty()) {
            if (!isProgram(command.getFirst(), "agnhost")) {
                return new WorkloadDecision.NotBuiltIn("the container's command " + command.getFirst()
                        + " replaces agnhost");
            }
            argv.addAll(command.subList(1, command.size()));
        }
        argv.addAll(args);
        try {
            return new WorkloadDecision.BuiltIn(Agnhost.workload(argv));
        } catch (AgnhostUsageException e) {
            return new WorkloadDecision.Invalid("agnhost" + (argv.isEmpty() ? "" : " " + String.join(" ", argv))
                    + ": " + e.getMessage());
        }
    }

    static boolean isProgram(String path, String program) {
        return path.equals(program) || path.endsWith("/" + program);
    }

    private static List<String> nonNull(List<String> list) {
        return list == null ? List.of() : list;
    }
}
