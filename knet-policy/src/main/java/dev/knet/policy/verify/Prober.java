package dev.knet.policy.verify;

import java.time.Duration;
import java.util.List;

/**
 * Makes real connection attempts. Implementations run the requests concurrently: a batch of probes that are
 * all dropped costs one timeout, not one per probe. Results come back in request order.
 */
public interface Prober {

    List<ProbeResult> probe(List<ProbeRequest> requests, Duration timeout);
}
