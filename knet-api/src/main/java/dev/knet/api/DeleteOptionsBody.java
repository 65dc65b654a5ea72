package dev.knet.api;

import dev.knet.model.KnetJson;
import dev.knet.store.Mutation;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The grace of a DELETE: gracePeriodSeconds=0 (in the query or a DeleteOptions body, as clients
 * send it) removes the object now - what a node agent does once a pod's containers have stopped.
 * Anything else is a graceful delete.
 */
final class DeleteOptionsBody {

    private DeleteOptionsBody() {
    }

    static Mutation.Grace grace(Map<String, String> query, byte[] body) {
        if ("0".equals(query.get("gracePeriodSeconds"))) {
            return Mutation.Grace.IMMEDIATE;
        }
        if (body.length > 0) {
            try {
                Map<?, ?> options = KnetJson.fromJson(new String(body, StandardCharsets.UTF_8), Map.class);
                Object grace = options == null ? null : options.get("gracePeriodSeconds");
                if (grace instanceof Number n && n.longValue() == 0) {
                    return Mutation.Grace.IMMEDIATE;
                }
            } catch (RuntimeException e) {
                // not a DeleteOptions body: a plain graceful delete
            }
        }
        return Mutation.Grace.GRACEFUL;
    }
}
