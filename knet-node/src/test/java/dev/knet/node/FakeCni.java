package dev.knet.node;

import dev.knet.cni.runtime.InProcessPluginExec;
import dev.knet.cni.runtime.PluginExec;
import dev.knet.cni.spec.CniError;
import dev.knet.cni.spec.CniRequest;
import dev.knet.cni.spec.CniResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A stateful stand-in for knet's plugin: remembers every call, answers ADD with the requested IP, or one of its own. */
final class FakeCni {

    /** One plugin call: command, container id and the netns path. */
    record Call(String command, String containerId, String netns) {
    }

    /** Where addresses come from when the runtime does not pass one. */
    static final String OWN_POOL = "10.88.0.";
    private final List<Call> calls = new ArrayList<>();
    private final AtomicInteger addsInFlight = new AtomicInteger();
    private final AtomicInteger maxAddsInFlight = new AtomicInteger();
    private volatile CountDownLatch addGate = new CountDownLatch(0);
    private int allocated = 1;

    /**
     * Makes every ADD wait until {@code n} ADDs are in flight together (or a minute passes, so a
     * runtime that sets pods up one at a time fails its test instead of hanging it).
     */
    void holdAddsUntilInFlight(int n) {
        addGate = new CountDownLatch(n);
    }

    /** The most ADDs that ran at the same time so far. */
    int maxAddsInFlight() {
        return maxAddsInFlight.get();
    }

    synchronized List<Call> calls() {
        return List.copyOf(calls);
    }

    synchronized List<Call> calls(String command) {
        return calls.stream().filter(c -> c.command().equals(command)).toList();
    }

    PluginExec exec() {
        PluginExec noOther = (plugin, env, stdin) -> {
            throw new IllegalStateException("only the knet plugin exists in this test: " + plugin);
        };
        return new InProcessPluginExec(Map.of("knet", this::gated), noOther);
    }

    private CniResponse gated(CniRequest request) {
        if (!"ADD".equals(request.get(CniRequest.COMMAND))) {
            return handle(request);
        }
        maxAddsInFlight.accumulateAndGet(addsInFlight.incrementAndGet(), Math::max);
        try {
            CountDownLatch gate = addGate;
            gate.countDown();
            if (!gate.await(1, TimeUnit.MINUTES)) {
                return CniResponse.failure(new CniError("1.0.0", 11, "ADD held too long", null));
            }
            return handle(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CniResponse.failure(new CniError("1.0.0", 11, "interrupted", null));
        } finally {
            addsInFlight.decrementAndGet();
        }
    }

    private synchronized CniResponse handle(CniRequest request) {
        String command = request.get(CniRequest.COMMAND);
        calls.add(new Call(command, request.get(CniRequest.CONTAINER_ID), request.get(CniRequest.NETNS)));
        if (!command.equals("ADD")) {
            return CniResponse.empty();
        }
        String stdin = request.stdinText();
        int at = stdin.indexOf("\"ips\"");
        String ip;
        if (at < 0) { // no ips capability: this plugin's own IPAM chooses, as host-local would
            ip = OWN_POOL + (++allocated) + "/24";
        } else {
            ip = stdin.substring(stdin.indexOf('"', stdin.indexOf('[', at)) + 1);
            ip = ip.substring(0, ip.indexOf('"'));
        }
        return CniResponse.success("{\"cniVersion\":\"1.0.0\",\"interfaces\":[{\"name\":\"eth0\",\"sandbox\":\""
                + request.get(CniRequest.NETNS) + "\"}],\"ips\":[{\"address\":\"" + ip + "\",\"interface\":0}]}");
    }
}
