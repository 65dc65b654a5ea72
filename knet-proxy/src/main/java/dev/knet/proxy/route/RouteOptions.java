package dev.knet.proxy.route;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * How routes are compiled: the IngressClass controller name knet answers to, the GatewayClass
 * names it serves (empty: all), and the random source for weighted backends (tests inject a
 * seeded one).
 */
public record RouteOptions(String ingressController, Set<String> gatewayClasses, RandomGenerator random) {

    public static final String DEFAULT_CONTROLLER = "knet.dev/ingress-controller";

    /** Thread-safe: each call draws from the calling thread's generator. */
    private static final RandomGenerator THREAD_LOCAL = () -> ThreadLocalRandom.current().nextLong();

    public RouteOptions {
        Objects.requireNonNull(ingressController, "ingressController");
        gatewayClasses = Set.copyOf(gatewayClasses);
        Objects.requireNonNull(random, "random");
    }

    public static RouteOptions defaults() {
        return new RouteOptions(DEFAULT_CONTROLLER, Set.of(), THREAD_LOCAL);
    }

    public RouteOptions withRandom(RandomGenerator random) {
        return new RouteOptions(ingressController, gatewayClasses, random);
    }
}
