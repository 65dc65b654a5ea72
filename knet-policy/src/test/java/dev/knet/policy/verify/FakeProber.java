package dev.knet.policy.verify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A dataplane in a map: what each (source namespace, address:port/proto) answers, TIMED_OUT for anything not
 * listed (a default drop). Records every request and timeout it was asked for.
 */
final class FakeProber implements Prober {

    private final Map<String, ProbeResult.Outcome> answers = new HashMap<>();
    final List<ProbeRequest> requests = new ArrayList<>();
    final List<Duration> timeouts = new ArrayList<>();

    FakeProber answer(String netns, String address, int port, String protocol, ProbeResult.Outcome outcome) {
        answers.put(netns + ">" + address + ":" + port + "/" + protocol, outcome);
        return this;
    }

    @Override
    public List<ProbeResult> probe(List<ProbeRequest> batch, Duration timeout) {
        requests.addAll(batch);
        timeouts.add(timeout);
        return batch.stream().map(r -> {
            ProbeResult.Outcome o = answers.getOrDefault(r.sourceNetns() + ">" + r.address() + ":" + r.port() + "/"
                    + r.protocol(), ProbeResult.Outcome.TIMED_OUT);
            return new ProbeResult(r, o, o == ProbeResult.Outcome.TIMED_OUT ? "no answer" : "");
        }).toList();
    }
}
