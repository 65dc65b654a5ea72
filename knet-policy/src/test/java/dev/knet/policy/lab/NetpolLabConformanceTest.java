package dev.knet.policy.lab;

import dev.knet.policy.NetpolCase;
import dev.knet.policy.NetpolCluster;
import dev.knet.policy.Protocol;
import dev.knet.policy.matrix.MatrixRenderer;
import dev.knet.policy.matrix.MatrixRow;
import dev.knet.policy.verify.ProbeRequest;
import dev.knet.policy.verify.ProbeResult;
import dev.knet.policy.verify.SocketProber;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.TestFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every upstream e2e NetworkPolicy case on real packets: per case one {@link LabNode} (node namespace with a
 * bridge, a namespace per pod, TCP and UDP servers in each), programmed by {@code PolicyEnforcer}; the case's
 * steps run in order and each probe step connects every ordered pod pair for real, all pairs at once, and
 * compares the truth table with the case's. Probes go to pod IPs (no Service proxy in this harness; the cases
 * accept either). A denied pair must time out (a policy drop, not a refusal), and the drop rules' counters must
 * have seen at least one packet per denied pair. SCTP probes are skipped, with the reason, when the host cannot
 * open SCTP sockets.
 */
@Tag("lab")
class NetpolLabConformanceTest {

    private static final String RUN = "knet-np" + ThreadLocalRandom.current().nextInt(100_000, 1_000_000);
    /** Long enough for a lab round trip on a busy machine; a dropped probe costs this once per step. */
    private static final Duration DENIED_WAIT = Duration.ofMillis(400);
    private static final Duration RETRY_WAIT = Duration.ofSeconds(2);

    private final SocketProber prober = new SocketProber();

    @TestFactory
    Stream<DynamicNode> conformanceCasesOnRealPackets() {
        String why = LabProcesses.labUnavailableReason();
        assumeTrue(why == null, why);
        // -Dknet.netpol.cases=REGEX runs only the matching cases (e.g. "0[12]-" while working on one)
        String only = System.getProperty("knet.netpol.cases", "");
        return NetpolCase.ids().stream().filter(id -> only.isEmpty() || java.util.regex.Pattern.compile(only).matcher(id).find())
                .map(id -> DynamicContainer.dynamicContainer(id, tests(id)));
    }

    @AfterAll
    static void removeLeftovers() throws Exception {
        if (LabProcesses.labUnavailableReason() == null) {
            List<String> left = LabProcesses.namespaces(RUN);
            if (!left.isEmpty()) {
                LabProcesses.ipBatchIgnoringErrors(null, left.stream().map(n -> "netns delete " + n).toList());
            }
        }
    }

    /** One test per probe step, in order, sharing the case's node; the last one removes it. */
    @SuppressWarnings("unchecked")
    private Stream<DynamicTest> tests(String id) {
        NetpolCase testCase = NetpolCase.load(id);
        CaseRun run = new CaseRun(testCase, RUN + "-" + id.substring("netpol-e2e-".length(), "netpol-e2e-".length() + 2));
        List<DynamicTest> tests = new ArrayList<>();
        List<Map<String, Object>> pending = new ArrayList<>();
        int probe = 0;
        for (Map<String, Object> step : testCase.steps()) {
            if (!step.get("action").equals("probe")) {
                pending.add(step);
                continue;
            }
            probe++;
            List<Map<String, Object>> before = List.copyOf(pending);
            pending.clear();
            String name = "probe " + probe + " " + step.get("protocol") + "/" + step.get("port") + " after "
                    + (before.isEmpty() ? "no change" : before.stream().map(s -> (String) s.get("action"))
                    .collect(Collectors.joining(", ")));
            tests.add(DynamicTest.dynamicTest(name, () -> run.probe(before, step)));
        }
        tests.add(DynamicTest.dynamicTest("remove the lab node", run::close));
        return tests.stream();
    }

    /** The state of one case between its dynamic tests. */
    private final class CaseRun implements AutoCloseable {
        private final NetpolCase testCase;
        private final NetpolCluster cluster;
        private final String prefix;
        private LabNode node;
        private Throwable setupFailure;

        CaseRun(NetpolCase testCase, String prefix) {
            this.testCase = testCase;
            this.cluster = new NetpolCluster(testCase);
            this.prefix = prefix;
        }

        @SuppressWarnings("unchecked")
        void probe(List<Map<String, Object>> steps, Map<String, Object> probeStep) throws Exception {
            steps.forEach(cluster::apply);
            Protocol protocol = Protocol.parse((String) probeStep.get("protocol"));
            if (protocol == Protocol.SCTP && SocketProber.sctpUnsupportedReason() != null) {
                abort("SCTP probe skipped: " + SocketProber.sctpUnsupportedReason());
            }
            LabNode lab = node();
            lab.apply(cluster.objects());
            int port = ((Number) probeStep.get("port")).intValue();
            Map<String, Object> expect = (Map<String, Object>) probeStep.get("expect");
            List<String> denied = (List<String>) expect.getOrDefault("denied", List.of());
            assertThat(expect.get("default_allowed")).as("the corpus lists denied pairs only").isEqualTo(true);

            List<String> pods = cluster.podKeys();
            List<String[]> pairs = new ArrayList<>();
            List<ProbeRequest> requests = new ArrayList<>();
            for (String from : pods) {
                for (String to : pods) {
                    if (!from.equals(to)) {
                        pairs.add(new String[]{from, to});
                        requests.add(new ProbeRequest(lab.netnsOf(from), cluster.podIp(to), port, protocol));
                    }
                }
            }
            long dropsBefore = lab.droppedPackets();
            List<ProbeResult> results = new ArrayList<>(prober.probe(requests, DENIED_WAIT));
            retryExpectedAllowed(pairs, denied, requests, results);
            long drops = lab.droppedPackets() - dropsBefore;

            List<MatrixRow> rows = new ArrayList<>();
            List<String> wrong = new ArrayList<>();
            for (int i = 0; i < pairs.size(); i++) {
                String pair = pairs.get(i)[0] + " -> " + pairs.get(i)[1];
                ProbeResult r = results.get(i);
                boolean expectAllowed = !denied.contains(pair);
                rows.add(new MatrixRow(pairs.get(i)[0], pairs.get(i)[1], port, protocol, r.connected(), r.detail()));
                if (r.connected() != expectAllowed || (!expectAllowed && r.outcome() != ProbeResult.Outcome.TIMED_OUT)) {
                    wrong.add(pair + ": expected " + (expectAllowed ? "allowed" : "dropped") + ", probe " + r.word()
                            + " " + r.detail());
                }
            }
            pods.forEach(p -> rows.add(new MatrixRow(p, p, port, protocol, true, "loopback")));
            String where = testCase.id() + " " + protocol + "/" + port;
            assertThat(normalise(MatrixRenderer.table(pods, rows, port, protocol)))
                    .as(where + " on real packets; mismatches:\n" + String.join("\n", wrong))
                    .isEqualTo(normalise((String) expect.get("matrix")));
            assertThat(wrong).as(where + ": denied probes must be dropped, not refused").isEmpty();
            assertThat(drops).as(where + ": packets counted by the policy drop rules").isGreaterThanOrEqualTo(denied.size());
        }

        /** An allowed probe that timed out may have met a busy machine: try it again, with a longer wait. */
        private void retryExpectedAllowed(List<String[]> pairs, List<String> denied, List<ProbeRequest> requests,
                                          List<ProbeResult> results) {
            for (int attempt = 0; attempt < 2; attempt++) {
                List<Integer> again = new ArrayList<>();
                for (int i = 0; i < pairs.size(); i++) {
                    if (!results.get(i).connected() && !denied.contains(pairs.get(i)[0] + " -> " + pairs.get(i)[1])) {
                        again.add(i);
                    }
                }
                if (again.isEmpty()) {
                    return;
                }
                List<ProbeResult> retried = prober.probe(again.stream().map(requests::get).toList(), RETRY_WAIT);
                for (int k = 0; k < again.size(); k++) {
                    results.set(again.get(k), retried.get(k));
                }
            }
        }

        private LabNode node() throws Exception {
            if (setupFailure != null) {
                throw new AssertionError("the lab node of " + testCase.id() + " could not be built", setupFailure);
            }
            if (node == null) {
                List<Protocol> protocols = testCase.protocols().stream().map(Protocol::parse).toList();
                try {
                    node = LabNode.build(prefix, cluster.podKeys(), cluster::podIp, testCase.ports(), protocols);
                } catch (Exception | AssertionError e) {
                    setupFailure = e;
                    throw e;
                }
            }
            return node;
        }

        @Override
        public void close() throws Exception {
            if (node != null) {
                node.close();
                node = null;
            }
        }
    }

    private static String normalise(String table) {
        return table.lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> String.join(" ", Arrays.asList(l.split("\\s+"))))
                .collect(Collectors.joining("\n"));
    }
}
