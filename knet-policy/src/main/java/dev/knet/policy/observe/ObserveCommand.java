package dev.knet.policy.observe;

import dev.knet.dataplane.conntrack.ConntrackFlow;
import dev.knet.dataplane.conntrack.ConntrackSource;
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
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * {@code knet observe}: flow verdicts as they happen, one line each, like Hubble: packets NetworkPolicy
 * enforcement dropped, with the policy that dropped them, and new connections the node's firewall let through,
 * with the policy that allowed them. It listens in every node namespace to the drop rules' NFLOG group and to
 * conntrack's new-connection events, and explains each with the model over the live cluster objects; see the
 * package documentation. Runs until {@code --count} lines or {@code --timeout}, else until interrupted. Exit 0,
 * or 1 when a node's drop log (or, with {@code --verdict forwarded}, every node's conntrack events) could not be
 * read. Without conntrack events the stream still shows drops and says once on stderr that forwarded flows are
 * not available.
 */
@Command(name = "observe", mixinStandardHelpOptions = true,
        description = "Stream flow verdicts: packets dropped by NetworkPolicy enforcement and new connections the "
                + "nodes forwarded, each with the policy and rule that decided it, from the policy model over the "
                + "live cluster. A verdict the model does not share is flagged: enforcement and model disagree.")
public final class ObserveCommand implements Callable<Integer> {

    private static final Duration POLL = Duration.ofMillis(200);

    /** Which kernel verdicts to show. */
    enum Shown { DROPPED, FORWARDED, ALL }

    private final Supplier<List<HasMetadata>> objects;
    private final Supplier<List<String>> nodeNamespaces;
    private final NflogOpener logs;
    private final ConntrackOpener conntrack;
    private final Function<String, String> rulesets;
    private final InstantSource clock;

    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--namespace"}, paramLabel = "NS", description = "only flows with either end in NS")
    String namespace;

    @Option(names = "--verdict", paramLabel = "VERDICT", defaultValue = "all",
            description = "dropped, forwarded or all (default ${DEFAULT-VALUE})")
    String verdict;

    @Option(names = "--count", paramLabel = "N", description = "stop after N lines (default: no limit)")
    Integer count;

    @Option(names = "--timeout", paramLabel = "DURATION", description = "stop after DURATION, e.g. 30s, 500ms, 2m")
    String timeout;

    @Option(names = "--seconds", paramLabel = "S", description = "stop after S seconds (as --timeout Ss)")
    Long seconds;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (one line per flow) or json (one object per line)")
    String output;

    @Option(names = "--group", paramLabel = "N", description = "the NFLOG group of the drop rules (default ${DEFAULT-VALUE})")
    int group = PolicyRulesetGenerator.Options.DEFAULT.nflogGroup();

    /**
     * Reads the kernel's drop log and conntrack events in each node namespace.
     *
     * @param objects        the live cluster objects (read at most once a second)
     * @param nodeNamespaces the node namespaces whose policy tables log drops, e.g. "knet-dev-node1"
     */
    public ObserveCommand(Supplier<List<HasMetadata>> objects, Supplier<List<String>> nodeNamespaces) {
        this(objects, nodeNamespaces, NflogOpener.kernel(), ConntrackOpener.kernel(), ObserveCommand::listPolicyTable,
                InstantSource.system());
    }

    /**
     * @param logs      opens a node's drop log (tests give a fake)
     * @param conntrack opens a node's conntrack new-connection events (tests give a fake)
     * @param rulesets  a node namespace to its policy table listing, where drop ids find their chains
     */
    public ObserveCommand(Supplier<List<HasMetadata>> objects, Supplier<List<String>> nodeNamespaces, NflogOpener logs,
                          ConntrackOpener conntrack, Function<String, String> rulesets, InstantSource clock) {
        this.objects = Objects.requireNonNull(objects, "objects");
        this.nodeNamespaces = Objects.requireNonNull(nodeNamespaces, "nodeNamespaces");
        this.logs = Objects.requireNonNull(logs, "logs");
        this.conntrack = Objects.requireNonNull(conntrack, "conntrack");
        this.rulesets = Objects.requireNonNull(rulesets, "rulesets");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Integer call() throws InterruptedException {
        FlowLineFormat format = format();
        Shown shown = shown();
        Duration limit = limit();
        if (count != null && count < 1) {
            throw new ParameterException(spec.commandLine(), "--count must be at least 1");
        }
        List<String> nodes = nodes();
        ModelCache model = new ModelCache(objects, clock);
        DropExplainer drops = new DropExplainer(model, new DropRuleLookup(rulesets, clock));
        FlowExplainer flows = new FlowExplainer(model);
        drops.prepare();

        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        LinkedBlockingQueue<NodeListener.Event> events = new LinkedBlockingQueue<>();
        AtomicLong lostDrops = new AtomicLong();
        AtomicLong lostFlows = new AtomicLong();
        List<NodeListener<?>> listeners = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        int failed = 0;
        try {
            List<String> unavailable = new ArrayList<>();
            for (String node : nodes) {
                if (shown != Shown.FORWARDED) {
                    start(NodeListener.drops(node, open(node), events, clock, lostDrops), listeners, threads);
                }
                if (shown != Shown.DROPPED) {
                    openConntrack(node, unavailable).ifPresent(source ->
                            start(NodeListener.flows(node, source, events, clock, lostFlows), listeners, threads));
                }
            }
            if (!unavailable.isEmpty()) {
                // once, not per node: the cause is nearly always the kernel, the same on every node
                err.println("forwarded flows are not available (no conntrack events): " + unavailable.getFirst()
                        + (unavailable.size() > 1 ? " (and " + (unavailable.size() - 1) + " more node(s))" : ""));
                err.flush();
                if (listeners.isEmpty()) {
                    return 1;
                }
            }
            long deadline = limit == null ? Long.MAX_VALUE : System.nanoTime() + limit.toNanos();
            int printed = 0;
            while ((count == null || printed < count) && failed < listeners.size()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                NodeListener.Event event = events.poll(Math.min(left, POLL.toNanos()), TimeUnit.NANOSECONDS);
                List<FlowLine> lines = new ArrayList<>();
                switch (event) {
                    case null -> { }
                    case NodeListener.Event.Failed f -> {
                        failed++;
                        err.println("cannot read the " + f.what() + " of " + f.node() + ": " + f.error().getMessage());
                        err.flush();
                    }
                    case NodeListener.Event.Packets p -> {
                        for (NflogPacket packet : p.packets()) {
                            lines.add(drops.explain(p.time(), p.node(), packet));
                        }
                    }
                    case NodeListener.Event.Flows f -> {
                        for (ConntrackFlow flow : f.flows()) {
                            flows.explain(f.time(), f.node(), flow).ifPresent(lines::add);
                        }
                    }
                }
                for (FlowLine line : lines) {
                    if (count != null && printed >= count) {
                        break;
                    }
                    if (namespace == null || line.involves(namespace)) {
                        out.println(format.render(line));
                        out.flush(); // a live stream: each line as it happens
                        printed++;
                    }
                }
            }
        } finally {
            listeners.forEach(NodeListener::stop);
            for (Thread t : threads) {
                t.join(POLL.toMillis() * 10); // each wakes within one poll interval
            }
        }
        if (lostDrops.get() > 0) {
            err.println("the kernel's queue overflowed " + lostDrops.get() + " time(s): some drops were not shown");
        }
        if (lostFlows.get() > 0) {
            err.println("the kernel's conntrack event queue overflowed " + lostFlows.get()
                    + " time(s): some forwarded flows were not shown");
        }
        err.flush();
        return failed > 0 ? 1 : 0;
    }

    private static void start(NodeListener<?> listener, List<NodeListener<?>> listeners, List<Thread> threads) {
        listeners.add(listener);
        threads.add(Thread.ofPlatform().daemon().name("knet-observe-" + listener.node()).start(listener));
    }

    private NflogSource open(String node) {
        try {
            return logs.open(node, group);
        } catch (RuntimeException e) {
            throw new PolicyException("cannot listen to the drop log (NFLOG group " + group + ") in " + node + ": "
                    + e.getMessage(), e);
        }
    }

    /** The node's conntrack events; empty (the reason added to {@code unavailable}) when the kernel has none. */
    private Optional<ConntrackSource> openConntrack(String node, List<String> unavailable) {
        try {
            return Optional.of(conntrack.open(node));
        } catch (RuntimeException e) {
            unavailable.add(e.getMessage());
            return Optional.empty();
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
        return switch (output.toLowerCase(Locale.ROOT)) {
            case "text" -> FlowLineFormat.TEXT;
            case "json" -> FlowLineFormat.JSON;
            default -> throw new ParameterException(spec.commandLine(), "-o must be text or json, not " + output);
        };
    }

    private Shown shown() {
        return switch (verdict.toLowerCase(Locale.ROOT)) {
            case "dropped" -> Shown.DROPPED;
            case "forwarded" -> Shown.FORWARDED;
            case "all" -> Shown.ALL;
            default -> throw new ParameterException(spec.commandLine(),
                    "--verdict must be dropped, forwarded or all, not " + verdict);
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
        return Durations.parse(text).orElseThrow(() -> new ParameterException(spec.commandLine(),
                "cannot read --timeout " + text + " (e.g. 30s, 500ms, 2m)"));
    }

    private static String listPolicyTable(String netns) {
        try {
            return new NftCommand(netns).list(PolicyLayout.TABLE);
        } catch (NftException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }
}
