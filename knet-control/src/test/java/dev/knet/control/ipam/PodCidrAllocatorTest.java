package dev.knet.control.ipam;

import dev.knet.model.net.Cidr;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class PodCidrAllocatorTest {

    static Stream<Arguments> capacities() {
        return Stream.of(
                Arguments.of("a /24 skips network, gateway and broadcast", "10.244.1.0/24", 253, "10.244.1.2", "10.244.1.254"),
                Arguments.of("a /29 leaves five pods", "10.244.0.0/29", 5, "10.244.0.2", "10.244.0.6"),
                Arguments.of("IPv6 has no broadcast", "fd00:10:244::/125", 6, "fd00:10:244::2", "fd00:10:244::7"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("capacities")
    void handsOutEveryPodAddressOnceThenReportsExhaustion(String name, String cidr, int capacity, String first, String last) {
        PodCidrAllocator a = new PodCidrAllocator(Cidr.parse(cidr));
        assertThat(a.capacity()).isEqualTo(capacity);
        List<String> got = new ArrayList<>();
        for (int i = 0; i < capacity; i++) {
            got.add(a.allocate("pod-" + i).orElseThrow());
        }
        assertThat(got).doesNotHaveDuplicates().startsWith(first).endsWith(last);
        assertThat(a.allocate("one-too-many")).isEmpty();
    }

    @Test
    void exhaustionMessageNamesCidrPodAndCountIncludingTheGateway() {
        PodCidrAllocator a = new PodCidrAllocator(Cidr.parse("10.244.1.0/24"));
        for (int i = 0; i < 253; i++) {
            a.allocate("p" + i);
        }
        assertThat(a.exhaustedMessage("default/web-7"))
                .isEqualTo("no free IP in 10.244.1.0/24 for pod default/web-7 (254 in use)");
    }

    @Test
    void sameOwnerGetsSameAddressAndAReleasedAddressIsNotReusedAtOnce() {
        PodCidrAllocator a = new PodCidrAllocator(Cidr.parse("10.244.0.0/24"));
        String x = a.allocate("a").orElseThrow();
        assertThat(a.allocate("a")).contains(x);
        a.release("a");
        assertThat(a.allocate("b")).isNotEqualTo(java.util.Optional.of(x));
    }

    @Test
    void reserveRefusesAnAddressHeldByAnotherOwnerOrOutsideTheCidr() {
        PodCidrAllocator a = new PodCidrAllocator(Cidr.parse("10.244.0.0/24"));
        assertThat(a.reserve("a", "10.244.0.9")).isEqualTo(PodCidrAllocator.Reservation.RESERVED);
        assertThat(a.reserve("b", "10.244.0.9")).isEqualTo(PodCidrAllocator.Reservation.TAKEN);
        assertThat(a.reserve("c", "10.244.0.1")).isEqualTo(PodCidrAllocator.Reservation.OUTSIDE);
        assertThat(a.reserve("c", "10.244.0.255")).isEqualTo(PodCidrAllocator.Reservation.OUTSIDE);
        assertThat(a.reserve("c", "10.245.0.3")).isEqualTo(PodCidrAllocator.Reservation.OUTSIDE);
    }

    /** One step of a random history: a pod created, a pod deleted, or the allocator restarted. */
    sealed interface Step permits Create, Delete, Restart {
    }

    record Create(int pod) implements Step {
    }

    record Delete(int pod) implements Step {
    }

    record Restart() implements Step {
    }

    @Provide
    Arbitrary<List<Step>> histories() {
        Arbitrary<Step> create = Arbitraries.integers().between(0, 40).map(Create::new);
        Arbitrary<Step> delete = Arbitraries.integers().between(0, 40).map(Delete::new);
        Arbitrary<Step> restart = Arbitraries.just(new Restart());
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(6, create), net.jqwik.api.Tuple.of(3, delete), net.jqwik.api.Tuple.of(1, restart))
                .list().ofMaxSize(200);
    }

    @Property(tries = 300)
    void noAddressIsEverHeldByTwoLivePodsAndAllStayInTheCidr(@ForAll("histories") List<Step> history) {
        Cidr cidr = Cidr.parse("10.244.3.0/27");
        PodCidrAllocator a = new PodCidrAllocator(cidr);
        // "stored" plays the store: the pods alive and the address each was given.
        Map<String, String> stored = new HashMap<>();
        for (Step step : history) {
            switch (step) {
                case Create c -> {
                    String pod = "default/p-" + c.pod();
                    if (!stored.containsKey(pod)) {
                        a.allocate(pod).ifPresent(ip -> stored.put(pod, ip));
                    }
                }
                case Delete d -> {
                    String pod = "default/p-" + d.pod();
                    stored.remove(pod);
                    a.release(pod);
                }
                case Restart r -> {
                    a = new PodCidrAllocator(cidr);
                    for (var e : stored.entrySet()) {
                        assertThat(a.reserve(e.getKey(), e.getValue())).isEqualTo(PodCidrAllocator.Reservation.RESERVED);
                    }
                }
            }
            Set<String> seen = new HashSet<>();
            for (String ip : stored.values()) {
                assertThat(seen.add(ip)).as("address %s held twice in %s", ip, stored).isTrue();
                assertThat(cidr.contains(ip)).isTrue();
                long index = cidr.indexOf(dev.knet.model.net.IpAddresses.parse(ip));
                assertThat(index).isBetween(2L, cidr.size() - 2);
            }
            assertThat(a.allocated()).isEqualTo(stored.size());
        }
    }
}
