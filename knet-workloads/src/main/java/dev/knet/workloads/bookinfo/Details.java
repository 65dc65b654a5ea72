package dev.knet.workloads.bookinfo;

import dev.knet.workloads.Json;
import dev.knet.workloads.net.HttpAnswer;
import dev.knet.workloads.net.HttpEndpoint;
import dev.knet.workloads.net.HttpRequestView;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Bookinfo details: GET /details/ID with the one book's details, as details.rb serves them. */
final class Details implements HttpEndpoint {

    @Override
    public CompletableFuture<HttpAnswer> handle(HttpRequestView request) {
        String path = request.path();
        HttpAnswer answer;
        if (path.equals("/health")) {
            answer = HttpAnswer.json(200, Json.write(Map.of("status", "Details is healthy")));
        } else if (path.startsWith("/details")) {
            String[] parts = path.split("/");
            try {
                answer = HttpAnswer.json(200, Json.write(book(Integer.parseInt(parts[parts.length - 1]))));
            } catch (NumberFormatException e) {
                answer = HttpAnswer.json(400, Json.write(Map.of("error", "please provide numeric product id")));
            }
        } else {
            answer = HttpAnswer.notFound();
        }
        return CompletableFuture.completedFuture(answer);
    }

    static Map<String, Object> book(int id) {
        Map<String, Object> book = new LinkedHashMap<>();
        book.put("id", id);
        book.put("author", "William Shakespeare");
        book.put("year", 1595);
        book.put("type", "paperback");
        book.put("pages", 200);
        book.put("publisher", "PublisherA");
        book.put("language", "English");
        book.put("ISBN-10", "1234567890");
        book.put("ISBN-13", "123-1234567890");
        return book;
    }
}
