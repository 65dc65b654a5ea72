package dev.knet.workloads.bookinfo;

import dev.knet.workloads.Json;
import dev.knet.workloads.net.HttpAnswer;
import dev.knet.workloads.net.HttpEndpoint;
import dev.knet.workloads.net.HttpRequestView;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Bookinfo ratings: GET /ratings/ID. Every version serves ratings.js's in-memory ratings (v2's
 * database backend is not emulated).
 */
final class Ratings implements HttpEndpoint {

    @Override
    public CompletableFuture<HttpAnswer> handle(HttpRequestView request) {
        String path = request.path();
        HttpAnswer answer;
        if (path.equals("/health")) {
            answer = HttpAnswer.json(200, Json.write(Map.of("status", "Ratings is healthy")));
        } else if (path.startsWith("/ratings/")) {
            try {
                int id = Integer.parseInt(path.substring("/ratings/".length()));
                Map<String, Object> ratings = new LinkedHashMap<>();
                ratings.put("Reviewer1", 5);
                ratings.put("Reviewer2", 4);
                answer = HttpAnswer.json(200, Json.write(Map.of("id", id, "ratings", ratings)));
            } catch (NumberFormatException e) {
                answer = HttpAnswer.json(400, Json.write(Map.of("error", "please provide numeric product ID")));
            }
        } else {
            answer = HttpAnswer.notFound();
        }
        return CompletableFuture.completedFuture(answer);
    }
}
