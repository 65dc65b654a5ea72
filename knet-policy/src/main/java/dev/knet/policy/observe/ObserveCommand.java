package dev.knet.policy.observe;

import dev.knet.dataplane.nflog.NflogPacket;
import dev.knet.dataplane.nflog.NflogSource;
import dev.knet.dataplane.nft.NftCommand;
import dev.knet.dataplane.nft.NftException;
import dev.knet.policy.PolicyException;
import dev.knet.policy.enforce.PolicyLayout;
import dev.knet.policy.enforce.PolicyRulesetGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code knet observe}: dropped packets as they happen, one line each, with the policy that dropped them (like
 * Hubble's drop reasons). It listens to the drop rules' NFLOG group in every node namespace and explains each
 * packet with the model over the live cluster objects; see the package documentation. Runs until {@code --count}
 * lines or {@code --timeout}, else until interrupted. Exit 0, or 1 when a node's log could not be read.
 */
@Command(name = "observe", mixinStandardHelpOptions = true,
        description = "Stream packets dropped by NetworkPolicy enforcement, each with the policy and rule that "
                + "dropped it, from the policy model over the live cluster. A drop the model would allow is "
                + "flagged: enforcement and model disagree.")
public final class ObserveCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);

    private final Supplier<List<HasMetadata>> objects;
    private final Supplier<List<String>> nodeNamespaces;
    private final NflogOpener logs;
    private final Function<String, String> rulesets;
    private final InstantSource clock;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "only flows with either end in NS")
    String namespace;

    @Option(names = "--count", paramLabel = "N", description = "stop after N lines (default: no limit)")
    Integer count;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "stop after DURATION, e.g. 30s, 500ms, 2m")
    String timeout;

    @Option(names = "--seconds", paramLabel = "S", description = "stop after S seconds (as --timeout Ss)")
    Long seconds;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (one line per packet) or json (one object per line)")
    String output;

    @Option(names = "--group", paramLabel = "N", description = "the NFLOG group of the drop rules (default ${DEFAULT-VALUE})")
    int group = PolicyRulesetGenerator.Options.DEFAULT.nflogGroup();

    /**
     * Reads the kernel's drop log in each node namespace.
     *
     * @param objects        the live cluster objects (read at most once a second)
     * @param nodeNamespaces the node namespaces whose policy tables log drops, e.g. "knet-dev-node1"
     */
    public ObserveCommand(Supplier<List<HasMetadata>> objects, Supplier<List<String>> nodeNamespaces) {
        this(objects, nodeNamespaces, NflogOpener.kernel(), ObserveCommand::listPolicyTable, InstantSource.system());
    }

    /**
     * @param logs     opens a node's drop log (tests give a fake)
     * @param rulesets a node namespace to its policy table listing, where drop ids find their chains
     */
    public ObserveCommand(Supplier<List<HasMetadata>> objects, Supplier<List<String>> nodeNamespaces, NflogOpener logs,
                          Function<String, String> rulesets, InstantSource clock) {
        this.objects = Objects.requireNonNull(objects, "objects");
        this.nodeNamespaces = Objects.requireNonNull(nodeNamespaces, "nodeNamespaces");
        this.logs = Objects.requireNonNull(logs, "logs");
        this.rulesets = Objects.requireNonNull(rulesets, "rulesets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Integer call() throws InterruptedException {
        FlowLineFormat format = format();
        Duration limit = limit();
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        List<String> nodes = nodes();
        DropExplainer explainer = new DropExplainer(new ModelCache(objects, clock), new DropRuleLookup(rulesets, clock));
        explainer.prepare();

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LinkedBlockingQueue<NodeListener.Event> events = new LinkedBlockingQueue<>();
        AtomicLong lost = new AtomicLong();
        List<NodeListener> listeners = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int failed = 0;
        try {
            for (String node : nodes) {
                NodeListener listener = new NodeListener(node, open(node), events, clock, lost);
                listeners.add(listener);
                threads.add(Thread.ofPlatform().daemon().name("knet-observe-" + node).start(listener));
            }
            long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
            int printed = 0;
            while ((count == null || printed < count) && failed < nodes.size()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                NodeListener.Event event = events.poll(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS);
                switch (event) {
                    case null -> { }
                    case NodeListener.Event.Failed f -> {
                        failed++;
                        err.println("cannot read the drop log of " + f.node() + ": " + f.error().getMessage());
                        err.flush();
                    }
                    case NodeListener.Event.Packets p -> {
                        for (NflogPacket packet : p.packets()) {
                            if (count != null && printed >= count) {
                                break;
                            }
                            FlowLine line = explainer.explain(p.time(), p.node(), packet);
                            if (namespace == null || line.involves(namespace)) {
                                out.println(format.render(line));
                                out.flush(); // a live stream: each line as it happens
                                printed++;
                            }
                        }
                    }
                }
            }
        } finally {
            listeners.forEach(NodeListener::stop);
            for (Thread t : threads) {
                t.join(POLL.toMillis() * 10); // each wakes within one poll interval
            }
        }
        if (lost.get() > 0) {
            err.println("the kernel's queue overflowed " + lost.get() + " time(s): some drops were not shown");
            err.flush();
        }
        return failed > 0 ? 1 : 0;
    }

    private NflogSource open(String node) {
        try {
            return logs.open(node, group);
        } catch (RuntimeException e) {
            throw new PolicyException("cannot listen to the drop log (NFLOG group " + group + ") in " + node + ": "
                    + e.getMessage(), e);
        }
    }

    private List<String> nodes() {
        List<String> nodes;
        try {
            nodes = List.copyOf(nodeNamespaces.get());
        } catch (RuntimeException e) {
            throw new PolicyException("cannot find the node namespaces: " + e.getMessage(), e);
        }
        if (nodes.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "knet observe needs a running cluster (knet up): "
                    + "there are no node namespaces to listen in");
        }
        return nodes;
    }

    private FlowLineFormat format() {
        return switch (output.toLowerCase(java.util.Locale.ROOT)) {
            case "text" -> FlowLineFormat.TEXT;
            case "json" -> FlowLineFormat.JSON;
            default -> throw new ParameterException(spec.commandLine(), "-o must be text or json, not " + output);
        };
    }

    /** The time limit from --timeout or --seconds; null for none. */
    private Duration limit() {
        if (timeout != null && seconds != null) {
            throw new ParameterException(spec.commandLine(), "give --timeout or --seconds, not both");
        }
        Duration d = seconds != null ? Duration.ofSeconds(seconds) : timeout != null ? parseDuration(timeout) : null;
        if (d != null && (d.isNegative() || d.isZero())) {
            throw new ParameterException(spec.commandLine(), "the time limit must be positive");
        }
        return d;
    }

    private Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(java.util.Locale.ROOT);
        try {
            if (t.startsWith("pt")) {
                return Duration.parse(t);
            }
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)?").matcher(t);
            if (m.matches()) {
                long n = Long.parseLong(m.group(1));
                return switch (m.group(2) == null ? "s" : m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "m" -> Duration.ofMinutes(n);
                    case "h" -> Duration.ofHours(n);
                    default -> Duration.ofSeconds(n);
                };
            }
        } catch (RuntimeException e) {
            // falls through to the message below
        }
        throw new ParameterException(spec.commandLine(), "cannot read --timeout " + text + " (e.g. 30s, 500ms, 2m)");
    }

    private static String listPolicyTable(String netns) {
        try {
            return new NftCommand(netns).list(PolicyLayout.TABLE);
        } catch (NftException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
