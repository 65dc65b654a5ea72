package dev.knet.api;

import dev.knet.model.KnetJson;
import dev.knet.store.ApiException;
import dev.knet.store.Mutation;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The grace of a DELETE: gracePeriodSeconds in the query or in a DeleteOptions body (clients send either; the query
 * wins, as in Kubernetes). 0 removes the object now - what a node agent does once a pod's containers have stopped;
 * N gives a pod on a node N seconds (or shortens the grace of one already terminating); none gives it its own.
 * A negative N counts as one second (the API server's pod strategy does the same).
 */
final class DeleteOptionsBody {

    private static final String FIELD = "gracePeriodSeconds";

    private DeleteOptionsBody() {
    }

    static Mutation.Grace grace(Map<String, String> query, byte[] body) {
        return fromQuery(query).or(() -> fromBody(body)).map(Mutation.Grace::ofSeconds)
                .orElse(Mutation.Grace.GRACEFUL);
    }

    private static Optional<Long> fromQuery(Map<String, String> query) {
        String value = query.get(FIELD);
        if (value == null || value.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw new ApiException.BadRequest(FIELD + ": not an integer: \"" + value + "\"");
        }
    }

    private static Optional<Long> fromBody(byte[] body) {
        if (body.length == 0) {
            return Optional.empty();
        }
        Map<?, ?> options;
        try {
            options = KnetJson.fromJson(new String(body, StandardCharsets.UTF_8), Map.class);
        } catch (RuntimeException e) {
            return Optional.empty(); // not a DeleteOptions body: a plain delete
        }
        Object grace = options == null ? null : options.get(FIELD);
        return grace instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }
}
