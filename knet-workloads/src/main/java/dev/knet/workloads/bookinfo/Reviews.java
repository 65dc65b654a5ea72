package dev.knet.workloads.bookinfo;

import dev.knet.workloads.Json;
import dev.knet.workloads.net.HttpAnswer;
import dev.knet.workloads.net.HttpEndpoint;
import dev.knet.workloads.net.HttpRequestView;
import dev.knet.workloads.net.HttpResult;
import dev.knet.workloads.pod.PodContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * Bookinfo reviews: v1 without ratings, v2 with black stars, v3 with red stars (both calling
 * ratings). ENABLE_RATINGS and STAR_COLOR override the version's defaults, as in the images.
 */
final class Reviews implements HttpEndpoint {

    static final String RATINGS_UNAVAILABLE = "Ratings service is currently unavailable";
    private static final Logger LOG = LoggerFactory.getLogger(Reviews.class);
    private static final String[][] TEXTS = {
        {"Reviewer1", "An extremely entertaining play by Shakespeare. The slapstick humour is refreshing!"},
        {"Reviewer2", "Absolutely fun and entertaining. The play lacks thematic depth when compared to other plays by Shakespeare."},
    };

    private final PodContext ctx;
    private final String version;
    private final boolean ratingsEnabled;
    private final String starColor;
    private final Callee ratings;

    Reviews(PodContext ctx, String version) {
        this.ctx = ctx;
        this.version = version;
        this.ratingsEnabled = Boolean.parseBoolean(ctx.env("ENABLE_RATINGS", String.valueOf(!version.equals("v1"))));
        this.starColor = ctx.env("STAR_COLOR", version.equals("v3") ? "red" : "black");
        this.ratings = Callee.of("ratings", ctx);
    }

    @Override
    public CompletableFuture<HttpAnswer> handle(HttpRequestView request) {
        String path = request.path();
        if (path.equals("/health")) {
            return CompletableFuture.completedFuture(HttpAnswer.json(200, "{\"status\": \"Reviews is healthy\"}"));
        }
        if (!path.startsWith("/reviews/")) {
            return CompletableFuture.completedFuture(HttpAnswer.notFound());
        }
        String id = path.substring("/reviews/".length());
        try {
            Integer.parseInt(id);
        } catch (NumberFormatException e) {
            return CompletableFuture.completedFuture(HttpAnswer.notFound());
        }
        return HttpEndpoint.offLoop(() -> HttpAnswer.json(200, Json.write(body(id, request))));
    }

    private Map<String, Object> body(String id, HttpRequestView request) {
        Map<Object, Object> stars = ratingsEnabled ? fetchRatings(id, request) : Map.of();
        List<Map<String, Object>> reviews = new ArrayList<>();
        for (String[] text : TEXTS) {
            Map<String, Object> review = new LinkedHashMap<>();
            review.put("reviewer", text[0]);
            review.put("text", text[1]);
            if (ratingsEnabled) {
                OptionalInt count = stars.get(text[0]) instanceof Number n ? OptionalInt.of(n.intValue()) : OptionalInt.empty();
                review.put("rating", count.isPresent() ? Map.of("stars", count.getAsInt(), "color", starColor)
                        : Map.of("error", RATINGS_UNAVAILABLE));
            }
            reviews.add(review);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("podname", ctx.env("HOSTNAME", ctx.hostname()));
        body.put("clustername", ctx.env("CLUSTER_NAME", "null"));
        body.put("version", version); // knet's addition, so the page can name the version whatever the pod is called
        body.put("reviews", reviews);
        return body;
    }

    /** Reviewer name to stars, or empty when ratings cannot be had; v2 waits 10 s, the others 2.5 s, as upstream. */
    private Map<Object, Object> fetchRatings(String id, HttpRequestView request) {
        Duration timeout = starColor.equals("black") ? Duration.ofSeconds(10) : Duration.ofMillis(2500);
        try {
            HttpResult result = ratings.get(ctx, "/ratings/" + id, request, timeout);
            if (result.status() != 200) {
                LOG.info("Error: unable to contact {}/ratings got status of {}", ratings.url(), result.status());
                return Map.of();
            }
            if (Json.readObject(result.body()).get("ratings") instanceof Map<?, ?> map) {
                return new LinkedHashMap<>(map);
            }
            return Map.of();
        } catch (IOException | IllegalArgumentException e) {
            LOG.info("Error: unable to contact {}/ratings got exception {}", ratings.url(), e.toString());
            return Map.of();
        }
    }
}
