package dev.knet.agent.services;

import java.util.List;

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

    /** The backend serving each bucket: bucket b goes to backend b mod N. */
    static List<Backend> assign(List<Backend> backends) {
        int n = buckets(backends.size());
        return java.util.stream.IntStream.range(0, n).mapToObj(b -> backends.get(b % backends.size())).toList();
    }
}
