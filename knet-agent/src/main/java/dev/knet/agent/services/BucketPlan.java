package dev.knet.agent.services;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;

/**
 * How a service port's backends are spread over numgen buckets. With N backends there are N buckets (exactly
 * fair) up to 64; beyond that the count is rounded up to a multiple of 64 so the number of bucket chains stays
 * small, and any backend's share is off by at most 1/64 (under 2 percentage points).
 */
final class BucketPlan {

    static final int EXACT_LIMIT = 64;

    private BucketPlan() {
    }

    static int buckets(int backends) {
        if (backends <= 0) {
            throw new IllegalArgumentException("no backends to spread");
        }
        return backends <= EXACT_LIMIT ? backends : ((backends + EXACT_LIMIT - 1) / EXACT_LIMIT) * EXACT_LIMIT;
    }

    /** The backend serving each bucket: bucket b goes to backend b mod N (backends in their sorted order). */
    static List<Backend> assign(List<Backend> backends) {
        int n = buckets(backends.size());
        return IntStream.range(0, n).mapToObj(b -> backends.get(b % backends.size())).toList();
    }

    /**
     * Like {@link #assign(List)}, but keeps every backend that stays in the bucket it had ({@code previous}
     * holds the nft text of each bucket's backend, or is null when unknown). Replacing one endpoint then
     * rewrites one bucket instead of shifting every bucket after it: two map operations instead of up to 2N.
     * Only for exact plans (one bucket per backend) with an unchanged bucket count; otherwise as assign.
     */
    static List<Backend> assign(List<Backend> backends, String[] previous) {
        int n = buckets(backends.size());
        if (previous == null || previous.length != n || n != backends.size()) {
            return assign(backends);
        }
        Map<String, Backend> byText = new HashMap<>();
        backends.forEach(b -> byText.put(b.nft(), b));
        Backend[] out = new Backend[n];
        Set<Backend> left = new LinkedHashSet<>(backends);
        for (int i = 0; i < n; i++) {
            Backend kept = previous[i] == null ? null : byText.get(previous[i]);
            if (kept != null && left.remove(kept)) {
                out[i] = kept;
            }
        }
        var fill = left.iterator();
        for (int i = 0; i < n; i++) {
            if (out[i] == null) {
                out[i] = fill.next();
            }
        }
        return new ArrayList<>(List.of(out));
    }
}
