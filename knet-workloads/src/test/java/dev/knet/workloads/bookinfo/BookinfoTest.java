package dev.knet.workloads.bookinfo;

import dev.knet.workloads.ImageRef;
import dev.knet.workloads.Json;
import dev.knet.workloads.StubResolver;
import dev.knet.workloads.TestPods;
import dev.knet.workloads.Workload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class BookinfoTest {

    private final StubResolver resolver = StubResolver.empty();
    private final List<Workload> running = new ArrayList<>();

    /** The first request of a JVM loads a lot of classes; on a busy machine it can outlast productpage's 3 s timeout. */
    @BeforeAll
    static void warmUp() throws Exception {
        BookinfoTest warm = new BookinfoTest();
        try {
            warm.start("istio/examples-bookinfo-details-v1:1", "warm-d", "details");
            warm.start("istio/examples-bookinfo-ratings-v1:1", "warm-r", "ratings");
            warm.start("istio/examples-bookinfo-reviews-v2:1", "warm-v", "reviews");
            TestPods.get(warm.productpage(), "/productpage");
        } finally {
            warm.stopAll();
        }
    }

    @AfterEach
    void stopAll() {
        running.forEach(Workload::stop);
    }

    /** Starts one Bookinfo service from its image on a free port; the resolver maps its short name there. */
    private int start(String image, String podName, String serviceName) throws Exception {
        int port = TestPods.freePort();
        BookinfoService service = BookinfoService.fromImage(ImageRef.parse(image)).orElseThrow();
        Bookinfo workload = new Bookinfo(service, Map.of("PORT", String.valueOf(port)));
        workload.start(TestPods.pod(podName, resolver, Map.of()));
        running.add(workload);
        if (serviceName != null) {
            resolver.map(serviceName, port);
        }
        return port;
    }

    private int productpage() throws Exception {
        return start("docker.io/istio/examples-bookinfo-productpage-v1:1.20.2", "productpage-v1-abc", null);
    }

    static Stream<Arguments> reviewVersions() {
        return Stream.of(
                Arguments.of("v1: no stars", "v1", 0, null),
                Arguments.of("v2: black stars", "v2", 9, "black"),
                Arguments.of("v3: red stars", "v3", 9, "red"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("reviewVersions")
    void productpageShowsDetailsAndTheReviewsOfEachVersion(String name, String version, int stars, String color)
            throws Exception {
        start("istio/examples-bookinfo-details-v1:1.20.2", "details-v1-x", "details");
        start("istio/examples-bookinfo-ratings-v1:1.20.2", "ratings-v1-x", "ratings");
        start("istio/examples-bookinfo-reviews-" + version + ":1.20.2", "reviews-" + version + "-5c7f", "reviews");

        HttpResponse<String> page = TestPods.get(productpage(), "/productpage");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("x-knet-pod")).contains("productpage-v1-abc");
        assertThat(page.body()).contains("The Comedy of Errors", "<dd>paperback</dd>", "<dd>PublisherA</dd>",
                "An extremely entertaining play by Shakespeare", "Reviewer2",
                "<u>reviews-" + version + "-5c7f</u> (reviews-" + version + ")");
        // Reviewer1 has 5 stars and Reviewer2 4: 9 full stars in all
        assertThat(page.body().chars().filter(c -> c == '★').count()).isEqualTo(stars);
        if (color == null) {
            assertThat(page.body()).doesNotContain("<font color=");
        } else {
            assertThat(page.body()).contains("<font color=\"" + color + "\"");
        }
    }

    @Test
    void reviewsShowTheRatingsErrorWhenRatingsIsDown() throws Exception {
        start("istio/examples-bookinfo-details-v1:1", "details-v1-x", "details");
        start("istio/examples-bookinfo-reviews-v2:1", "reviews-v2-x", "reviews");
        resolver.map("ratings", TestPods.freePort()); // nothing listens there

        String page = TestPods.get(productpage(), "/productpage").body();

        assertThat(page).contains("<p><i>Ratings service is currently unavailable</i></p>").doesNotContain("★");
    }

    @Test
    void productpageShowsIstiosErrorTextsWhenCalleesAreDown() throws Exception {
        resolver.map("details", TestPods.freePort()).map("reviews", TestPods.freePort());

        HttpResponse<String> page = TestPods.get(productpage(), "/productpage");

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Error fetching product details!",
                "Sorry, product details are currently unavailable for this book.",
                "Error fetching product reviews!",
                "Sorry, product reviews are currently unavailable for this book.");
    }

    @Test
    void productpageFailsReviewsWhenTheNameDoesNotResolve() throws Exception {
        String page = TestPods.get(productpage(), "/productpage").body();

        assertThat(page).contains("Sorry, product reviews are currently unavailable for this book.");
    }

    @Test
    void apiEndpointsAnswerJson() throws Exception {
        start("istio/examples-bookinfo-details-v1:1", "details-v1-x", "details");
        start("istio/examples-bookinfo-ratings-v1:1", "ratings-v1-x", "ratings");
        start("istio/examples-bookinfo-reviews-v3:1", "reviews-v3-x", "reviews");
        int port = productpage();

        assertThat(TestPods.get(port, "/health").body()).isEqualTo("Product page is healthy");
        assertThat(TestPods.get(port, "/api/v1/products").body()).contains("\"title\":\"The Comedy of Errors\"");
        assertThat(Json.readObject(TestPods.get(port, "/api/v1/products/0").body()))
                .containsEntry("ISBN-10", "1234567890").containsEntry("author", "William Shakespeare");
        assertThat(Json.readObject(TestPods.get(port, "/api/v1/products/0/reviews").body()))
                .containsEntry("podname", "reviews-v3-x").containsEntry("id", "0");
        assertThat(Json.readObject(TestPods.get(port, "/api/v1/products/0/ratings").body()))
                .containsEntry("ratings", Map.of("Reviewer1", 5, "Reviewer2", 4));
    }

    @Test
    void apiReportsTheCalleeErrorWithStatus500() throws Exception {
        resolver.map("ratings", TestPods.freePort());

        HttpResponse<String> response = TestPods.get(productpage(), "/api/v1/products/0/ratings");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(Json.readObject(response.body()))
                .containsEntry("error", "Sorry, product ratings are currently unavailable for this book.");
    }

    @Test
    void servicesAnswerTheirOwnJson() throws Exception {
        int details = start("istio/examples-bookinfo-details-v1:1", "details-v1-x", "details");
        int ratings = start("istio/examples-bookinfo-ratings-v1:1", "ratings-v1-x", "ratings");
        int reviews = start("istio/examples-bookinfo-reviews-v1:1", "reviews-v1-x", "reviews");

        assertThat(Json.readObject(TestPods.get(details, "/details/7").body())).containsEntry("id", 7);
        assertThat(TestPods.get(details, "/details/x").statusCode()).isEqualTo(400);
        assertThat(Json.readObject(TestPods.get(ratings, "/ratings/0").body())).containsEntry("id", 0);
        Map<String, Object> v1 = Json.readObject(TestPods.get(reviews, "/reviews/0").body());
        assertThat(v1).containsEntry("podname", "reviews-v1-x").containsEntry("clustername", "null");
        assertThat((List<?>) v1.get("reviews")).hasSize(2)
                .allSatisfy(r -> assertThat(((Map<?, ?>) r).containsKey("rating")).isFalse());
        assertThat(TestPods.get(reviews, "/health").headers().firstValue("x-knet-workload")).contains("reviews-v1");
    }
}
