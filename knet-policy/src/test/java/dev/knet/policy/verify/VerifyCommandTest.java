package dev.knet.policy.verify;

import dev.knet.model.Manifests;
import dev.knet.policy.cli.VerifyCommand;
import dev.knet.policy.matrix.OfflineMatrix;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Service;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * {@code knet verify} on the Book review example with the talk's two policies (reviews accepts only
 * productpage; reviews accepts nothing), against a fake dataplane that either enforces them or does not.
 */
class VerifyCommandTest {

    private static final Path EXAMPLES = Path.of("..", "examples", "bookinfo");

    /** The example's pods with addresses, each annotated with a network namespace as the node agent does. */
    static List<HasMetadata> bookReview(boolean withPolicies) {
        List<HasMetadata> manifests = new ArrayList<>(Manifests.read(EXAMPLES.resolve("bookinfo.yaml")));
        if (withPolicies) {
            manifests.addAll(Manifests.read(EXAMPLES.resolve("policies/reviews-accepts-only-productpage.yaml")));
            manifests.addAll(Manifests.read(EXAMPLES.resolve("policies/reviews-accepts-nothing.yaml")));
        }
        // the API server would put objects without a namespace into "default"
        manifests.stream().filter(o -> o.getMetadata().getNamespace() == null)
                .forEach(o -> o.getMetadata().setNamespace("default"));
        return OfflineMatrix.offlineObjects(manifests).stream().map(o -> o instanceof Pod p
                ? new PodBuilder(p).editMetadata().addToAnnotations(VerifyPlan.NETNS_ANNOTATION,
                "knet-t-" + p.getMetadata().getName()).endMetadata().build() : o).toList();
    }

    static List<Pod> pods(List<HasMetadata> objects) {
        return objects.stream().filter(Pod.class::isInstance).map(Pod.class::cast).toList();
    }

    /** A dataplane where every Book review pod answers on 9080 from every other one, except where dropped. */
    static FakeProber dataplane(List<HasMetadata> objects, Predicate<String[]> drops) {
        FakeProber fake = new FakeProber();
        for (Pod from : pods(objects)) {
            for (Pod to : pods(objects)) {
                String[] pair = {from.getMetadata().getName(), to.getMetadata().getName()};
                if (from != to && !drops.test(pair)) {
                    fake.answer("knet-t-" + pair[0], to.getStatus().getPodIP(), 9080, "TCP", ProbeResult.Outcome.CONNECTED);
                }
            }
        }
        return fake;
    }

    /** The talk's policies, enforced: only productpage gets into reviews. */
    static boolean talkPolicies(String[] pair) {
        return pair[1].startsWith("reviews-") && !pair[0].startsWith("productpage-");
    }

    record Run(int exit, String out) {
    }

    /** A run whose first answers are the report (no rounds of probing disagreements again). */
    static Run run(List<HasMetadata> objects, Prober prober, String... args) {
        return run(objects, prober, Settling.none(), args);
    }

    static Run run(List<HasMetadata> objects, Prober prober, Settling settling, String... args) {
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new VerifyCommand(() -> ClusterState.of(objects), prober, () -> settling));
        cli.setOut(new PrintWriter(out));
        int exit = cli.execute(args);
        return new Run(exit, out.toString());
    }

    static String line(String out, String fromPrefix, String toPrefix) {
        return out.lines().filter(l -> l.startsWith("default/" + fromPrefix) && l.contains(" default/" + toPrefix))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + fromPrefix + " -> " + toPrefix + " in\n" + out));
    }

    static Stream<Arguments> talkRows() {
        return Stream.of(
                arguments("productpage -> reviews is allowed by the first policy", "productpage-v1", "reviews-v1",
                        "allowed", "connected", "NetworkPolicy default/reviews-accepts-only-productpage allows ingress"),
                arguments("details -> reviews is denied: isolated by both, no rule allows", "details-v1", "reviews-v2",
                        "denied", "timeout", "denied: default/reviews-v2-0 is isolated for ingress by default/reviews-accepts-nothing, "
                                + "default/reviews-accepts-only-productpage, and no rule allows default/details-v1-0 on TCP/9080"),
                arguments("ratings -> reviews is denied too", "ratings-v1", "reviews-v3", "denied", "timeout",
                        "isolated for ingress"),
                arguments("productpage -> details is not isolated", "productpage-v1", "details-v1", "allowed", "connected",
                        "allowed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("talkRows")
    void talkPoliciesOnBookReview(String name, String from, String to, String model, String probe, String reason) {
        List<HasMetadata> objects = bookReview(true);
        Run run = run(objects, dataplane(objects, VerifyCommandTest::talkPolicies));
        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).startsWith("FROM").contains("PORT", "MODEL", "PROBE", "REASON")
                .contains("30 pairs: 30 agree, 0 disagree, 0 not probed");
        assertThat(line(run.out(), from, to)).contains("9080/TCP", " " + model + " ", " " + probe + " ", reason)
                .doesNotContain("MISMATCH");
    }

    @Test
    void theMatrixShowsEveryPairAtAGlanceAndMarksMismatches() {
        List<HasMetadata> objects = bookReview(true);
        Run run = run(objects, dataplane(objects, pair -> talkPolicies(pair) && !pair[0].startsWith("details-")));

        List<String> matrix = run.out().lines().dropWhile(l -> !l.startsWith("reachability")).toList();
        assertThat(matrix.getFirst()).contains("+ allowed", "- denied", "! model and probe disagree");
        int column = matrix.stream().filter(l -> l.endsWith(" default/reviews-v1-0:9080/TCP")).findFirst()
                .map(l -> Integer.parseInt(l.strip().split(" ")[0])).orElseThrow();
        String header = matrix.get(1);
        int at = header.indexOf(" " + column + (column < 10 ? " " : "")) + String.valueOf(column).length();
        assertThat(matrix).filteredOn(l -> l.startsWith("default/details-v1-0 ")).singleElement()
                .satisfies(l -> assertThat(l.charAt(at)).as(l).isEqualTo('!'));
        assertThat(matrix).filteredOn(l -> l.startsWith("default/productpage-v1-0 ")).singleElement()
                .satisfies(l -> assertThat(l.charAt(at)).as(l).isEqualTo('+'));
        assertThat(matrix).filteredOn(l -> l.startsWith("default/ratings-v1-0 ")).singleElement()
                .satisfies(l -> assertThat(l.charAt(at)).as(l).isEqualTo('-'));
        assertThat(matrix).filteredOn(l -> l.startsWith("default/reviews-v1-0 ")).singleElement()
                .satisfies(l -> assertThat(l.charAt(at)).as("a pod and itself are not a pair").isEqualTo('.'));
    }

    @Test
    void aDataplaneThatLetsDetailsIntoReviewsIsAMismatch() {
        List<HasMetadata> objects = bookReview(true);
        Run run = run(objects, dataplane(objects, pair -> talkPolicies(pair) && !pair[0].startsWith("details-")));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(line(run.out(), "details-v1", "reviews-v1")).contains("denied", "connected (MISMATCH)");
        assertThat(run.out()).contains("30 pairs: 27 agree, 3 disagree")
                .contains("MISMATCH default/details-v1-0 -> default/reviews-v1-0:9080/TCP: model denies, probe connected");
    }

    @Test
    void withoutPoliciesADroppingDataplaneIsAMismatchAndIsRetriedLonger() {
        List<HasMetadata> objects = bookReview(false);
        FakeProber fake = dataplane(objects, VerifyCommandTest::talkPolicies);
        Run run = run(objects, fake, "--timeout", "200");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(line(run.out(), "details-v1", "reviews-v1")).contains("allowed", "timeout (MISMATCH)");
        // the model's allowed-but-timed-out probes were tried again with a longer wait
        assertThat(fake.timeouts).extracting(java.time.Duration::toMillis).containsExactly(200L, 600L);
        // 12 pairs dropped: details, ratings and the other reviews into each of the three reviews
        assertThat(fake.requests).hasSize(30 + 12);
    }

    @Test
    void scopeAndNamespaceChooseThePods() {
        List<HasMetadata> objects = new ArrayList<>(bookReview(true));
        objects.add(new PodBuilder().withNewMetadata().withNamespace("default").withName("curl").addToAnnotations(
                VerifyPlan.NETNS_ANNOTATION, "knet-t-curl").endMetadata().withNewSpec().addNewContainer().withName("c")
                .addNewPort().withContainerPort(8080).endPort().endContainer().endSpec()
                .withNewStatus().withPodIP("10.244.9.9").endStatus().build());
        assertThat(run(objects, new FakeProber()).out()).doesNotContain("default/curl");
        Run all = run(objects, new FakeProber(), "--all");
        assertThat(all.out()).contains("default/curl").contains("42 pairs");
        assertThat(run(objects, new FakeProber(), "-n", "elsewhere").exit()).isEqualTo(2);
        assertThat(run(objects, new FakeProber(), "-n", "default").out()).as("a namespace means all of its pods")
                .contains("default/curl").contains("42 pairs");
    }

    @Test
    void servicesAreCheckedAfterDnatAndProbedAtTheirClusterIp() {
        List<HasMetadata> objects = bookReview(true);
        String reviewsIp = objects.stream().filter(o -> o instanceof Service s && s.getMetadata().getName().equals("reviews"))
                .map(o -> ((Service) o).getSpec().getClusterIP()).findFirst().orElseThrow();
        FakeProber fake = new FakeProber().answer("knet-t-productpage-v1-0", reviewsIp, 9080, "TCP",
                ProbeResult.Outcome.CONNECTED);
        Run run = run(objects, fake, "--services");
        String row = run.out().lines().filter(l -> l.startsWith("default/productpage-v1") && l.contains("svc/default/reviews"))
                .findFirst().orElseThrow();
        assertThat(row).contains("allowed", "connected");
        assertThat(fake.requests).anyMatch(r -> r.address().equals(reviewsIp));
    }

    @Test
    void aPodWithoutItsNetworkNamespaceCannotBeProbed() {
        List<HasMetadata> objects = bookReview(true).stream().map(o -> o instanceof Pod p
                && p.getMetadata().getName().startsWith("details-")
                ? new PodBuilder(p).editMetadata().withAnnotations(Map.of()).endMetadata().build() : o).toList();
        Run run = run(objects, dataplane(objects, VerifyCommandTest::talkPolicies));
        assertThat(run.exit()).isEqualTo(1);
        assertThat(line(run.out(), "details-v1", "productpage-v1")).contains("error (MISMATCH)");
        assertThat(run.out()).contains("has no knet.dev/netns annotation");
    }

    @Test
    void policiesThatReachTheNodesLateAgreeInALaterRoundAndSaySo() {
        List<HasMetadata> objects = bookReview(true);
        // the nodes still let everything through; they enforce the stored policies from the second round on
        FakeProber before = dataplane(objects, pair -> false);
        FakeProber after = dataplane(objects, VerifyCommandTest::talkPolicies);
        FakeProber[] nodes = {before};
        FakeSettling settling = new FakeSettling(5, java.time.Duration.ofMillis(250), round -> {
            if (round == 2) {
                nodes[0] = after;
            }
        });
        Run run = run(objects, (requests, timeout) -> nodes[0].probe(requests, timeout), settling);

        assertThat(run.exit()).as(run.out()).isZero();
        assertThat(run.out()).contains("30 pairs: 30 agree, 0 disagree, 0 not probed")
                .contains("12 pairs agreed only when probed again, within 0.5 s (the nodes were still applying "
                        + "the cluster's state): default/details-v1-0 -> default/reviews-v1-0:9080/TCP;");
        assertThat(line(run.out(), "details-v1", "reviews-v1")).contains("denied", "timeout").doesNotContain("MISMATCH");
        assertThat(settling.taken).as("no round once every pair agrees").isEqualTo(2);
        // only the 12 disagreeing pairs are probed again, in each round
        assertThat(before.requests).hasSize(30 + 12);
        assertThat(after.requests).hasSize(12);
    }

    @Test
    void aDisagreementThatOutlastsTheWindowStands() {
        List<HasMetadata> objects = bookReview(true);
        FakeProber fake = dataplane(objects, pair -> talkPolicies(pair) && !pair[0].startsWith("details-"));
        FakeSettling settling = new FakeSettling(4, java.time.Duration.ofMillis(250), round -> { });
        Run run = run(objects, fake, settling);

        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.out()).contains("30 pairs: 27 agree, 3 disagree").doesNotContain("agreed only");
        assertThat(settling.taken).isEqualTo(4);
        assertThat(fake.requests).hasSize(30 + 4 * 3);
    }

    @Test
    void settleZeroReportsTheFirstAnswersAndANegativeOneIsRefused() {
        List<HasMetadata> objects = bookReview(true);
        FakeProber fake = dataplane(objects, pair -> talkPolicies(pair) && !pair[0].startsWith("details-"));
        StringWriter out = new StringWriter();
        CommandLine cli = new CommandLine(new VerifyCommand(() -> ClusterState.of(objects), fake));
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(out));

        assertThat(cli.execute("--settle", "0")).isEqualTo(1);
        assertThat(fake.requests).hasSize(30);
        assertThat(cli.execute("--settle", "-1")).isEqualTo(2);
        assertThat(out.toString()).contains("--settle must not be negative");
        assertThat(fake.requests).as("nothing probed for a refused option").hasSize(30);
    }
}
