package dev.knet.policy;

import dev.knet.model.Manifests;
import dev.knet.policy.matrix.OfflineMatrix;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bookinfo with "reviews accepts only productpage". */
class BookinfoTest {

    private final PolicyEngine engine = OfflineMatrix.offlineEngine(
            Manifests.read(Path.of("src/test/resources/bookinfo/bookinfo.yaml")));

    @Test
    void productpageReachesReviewsThroughTheService() {
        Verdict v = engine.check("bookinfo/productpage-v1", "svc/bookinfo/reviews", 9080, Protocol.TCP);
        assertThat(v.allowed()).as(v.reason()).isTrue();
        assertThat(v.endpoints()).extracting(EndpointVerdict::destination)
                .containsExactly("bookinfo/reviews-v1", "bookinfo/reviews-v2");
        assertThat(v.endpoints()).allSatisfy(e -> assertThat(e.reason()).contains(
                "NetworkPolicy bookinfo/reviews-accepts-only-productpage allows ingress"));
        assertThat(v.reason()).contains("2 endpoint(s) after DNAT, 2 allowed", Reasons.REPLIES);
    }

    @Test
    void detailsIsDeniedNamingThePolicy() {
        Verdict v = engine.check("bookinfo/details-v1", "bookinfo/reviews-v1", 9080, Protocol.TCP);
        assertThat(v.allowed()).isFalse();
        assertThat(v.reason()).isEqualTo("denied: bookinfo/reviews-v1 is isolated for ingress by "
                + "bookinfo/reviews-accepts-only-productpage, and no rule allows bookinfo/details-v1 on TCP/9080");
    }

    @Test
    void reviewsStillReachesRatings() {
        assertThat(engine.check("bookinfo/reviews-v2", "bookinfo/ratings-v1", 9080, Protocol.TCP).allowed()).isTrue();
    }

    @Test
    void serviceVerdictListsEveryDeniedEndpoint() {
        Verdict v = engine.check("bookinfo/ratings-v1", "svc/bookinfo/reviews", 9080, Protocol.TCP);
        assertThat(v.allowed()).isFalse();
        assertThat(v.endpoints()).hasSize(2).noneMatch(EndpointVerdict::allowed);
        assertThat(List.of(v.reason())).allSatisfy(r -> assertThat(r).contains("0 allowed"));
    }
}
