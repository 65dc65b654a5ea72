package dev.knet.workloads.bookinfo;

import dev.knet.workloads.Json;
import dev.knet.workloads.net.HttpAnswer;
import dev.knet.workloads.net.HttpEndpoint;
import dev.knet.workloads.net.HttpRequestView;
import dev.knet.workloads.net.HttpResult;
import dev.knet.workloads.pod.PodContext;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bookinfo productpage: the HTML page built from details and reviews, and the JSON API, as productpage.py. */
final class Productpage implements HttpEndpoint {

    static final String DETAILS_UNAVAILABLE = "Sorry, product details are currently unavailable for this book.";
    static final String REVIEWS_UNAVAILABLE = "Sorry, product reviews are currently unavailable for this book.";
    static final String RATINGS_UNAVAILABLE = "Sorry, product ratings are currently unavailable for this book.";
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
    private static final Pattern API = Pattern.compile("/api/v1/products/([^/]+)(/reviews|/ratings)?");

    /** A callee's status and JSON body (or productpage's error object). */
    record Fetched(int status, Map<String, Object> body) {
        boolean ok() {
            return status == 200;
        }
    }

    private final PodContext ctx;
    private final Callee details;
    private final Callee reviews;
    private final Callee ratings;

    Productpage(PodContext ctx) {
        this.ctx = ctx;
        this.details = Callee.of("details", ctx);
        this.reviews = Callee.of("reviews", ctx);
        this.ratings = Callee.of("ratings", ctx);
    }

    @Override
    public CompletableFuture<HttpAnswer> handle(HttpRequestView r) {
        String path = r.path();
        if (path.equals("/health")) {
            return done(HttpAnswer.text("Product page is healthy"));
        }
        if (path.equals("/") || path.equals("/index.html")) {
            return done(HttpAnswer.html(200, ProductpageHtml.index()));
        }
        if (path.equals("/productpage")) {
            return HttpEndpoint.offLoop(() -> {
                Fetched d = fetch(details, "/details/0", r, 1, DETAILS_UNAVAILABLE);
                // productpage.py tries reviews twice on purpose (Istio's fault-injection task relies on it)
                Fetched v = fetch(reviews, "/reviews/0", r, 2, REVIEWS_UNAVAILABLE);
                return HttpAnswer.html(200, ProductpageHtml.page(d, v, ctx.env("HOSTNAME", ctx.hostname())));
            });
        }
        if (path.equals("/api/v1/products")) {
            return done(HttpAnswer.json(200, Json.write(List.of(ProductpageHtml.product()))));
        }
        Matcher m = API.matcher(path);
        if (m.matches()) {
            String id = m.group(1);
            String what = m.group(2) == null ? "" : m.group(2);
            return HttpEndpoint.offLoop(() -> {
                Fetched f = switch (what) {
                    case "/reviews" -> fetch(reviews, "/reviews/" + id, r, 2, REVIEWS_UNAVAILABLE);
                    case "/ratings" -> fetch(ratings, "/ratings/" + id, r, 1, RATINGS_UNAVAILABLE);
                    default -> fetch(details, "/details/" + id, r, 1, DETAILS_UNAVAILABLE);
                };
                return HttpAnswer.json(f.status(), Json.write(f.body()));
            });
        }
        return done(HttpAnswer.notFound());
    }

    /** GET with productpage.py's rules: 200 gives the JSON; otherwise its status (or 500) and the error text. */
    private Fetched fetch(Callee callee, String path, HttpRequestView incoming, int tries, String error) {
        int status = 500;
        for (int i = 0; i < tries; i++) {
            try {
                HttpResult result = callee.get(ctx, path, incoming, CALL_TIMEOUT);
                if (result.status() == 200) {
                    return new Fetched(200, Json.readObject(result.body()));
                }
                status = result.status();
            } catch (IOException | IllegalArgumentException e) {
                status = 500;
            }
        }
        return new Fetched(status, Map.of("error", error));
    }

    private static CompletableFuture<HttpAnswer> done(HttpAnswer answer) {
        return CompletableFuture.completedFuture(answer);
    }
}
