package dev.knet.cli.command;

import dev.knet.cli.CliRun;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** knet trace from manifests alone: the Book review app under the talk's two policies. */
class TraceCommandTest {

    private static final String APP = "../examples/bookinfo/";
    private static final String POLICIES = "../examples/bookinfo/policies/";

    @Test
    void productpageReachesReviewsThroughItsServiceAndEveryStepIsNamed() {
        CliRun run = CliRun.of("trace", "-f", APP, "-f", POLICIES, "--mode", "vxlan",
                "default/productpage-v1-0", "svc/default/reviews:9080");

        assertThat(run.code()).as(run.out() + run.err()).isZero();
        assertThat(run.out()).startsWith("trace default/productpage-v1-0 -> svc/default/reviews:9080\n")
                .contains(" 1 source ", " service   default/reviews", " endpoint  default/reviews-v1-0",
                        "default/reviews-v3-0", "route: ", "policy: allowed",
                        "reviews-accepts-only-productpage", "verdict   ALLOWED: 3 of 3")
                .contains("the source node's Service proxy", "route: not scheduled yet").doesNotContain("null");
    }

    @Test
    void detailsIsDeniedWithTheIsolatingPoliciesNamed() {
        CliRun run = CliRun.of("trace", "-f", APP, "-f", POLICIES, "default/details-v1-0", "svc/default/reviews:9080");

        assertThat(run.code()).as(run.out() + run.err()).isEqualTo(1);
        assertThat(run.out()).contains("policy: denied", "reviews-accepts-nothing", "verdict   DENIED: 0 of 3");
    }

    @Test
    void anUnknownPodIsAClearError() {
        CliRun run = CliRun.of("trace", "-f", APP, "default/nope", "svc/default/reviews:9080");

        assertThat(run.code()).isNotZero();
        assertThat(run.err()).contains("no pod default/nope");
    }
}
