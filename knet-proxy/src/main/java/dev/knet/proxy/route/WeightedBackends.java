package dev.knet.proxy.route;

import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * The backendRefs of one rule with their weights. A request picks one with probability
 * weight / total; an invalid reference keeps its share, and requests that land on it fail (500),
 * as the Gateway API asks.
 */
public record WeightedBackends(List<Choice> choices) {

    /** backend empty means an invalid reference, with the reason in invalidReason. */
    public record Choice(int weight, Optional<ServiceBackend> backend, List<Filter> filters, String invalidReason) {
        public Choice {
            filters = List.copyOf(filters);
        }

        public static Choice valid(int weight, ServiceBackend backend, List<Filter> filters) {
            return new Choice(weight, Optional.of(backend), filters, "");
        }

        public static Choice invalid(int weight, String reason) {
            return new Choice(weight, Optional.empty(), List.of(), reason);
        }
    }

    public WeightedBackends {
        choices = List.copyOf(choices);
    }

    public int totalWeight() {
        return choices.stream().mapToInt(Choice::weight).sum();
    }

    /** Empty when there is no backend or every weight is 0. */
    public Optional<Choice> pick(RandomGenerator random) {
        int total = totalWeight();
        if (total <= 0) {
            return Optional.empty();
        }
        int ticket = random.nextInt(total);
        for (Choice choice : choices) {
            ticket -= choice.weight();
            if (ticket < 0) {
                return Optional.of(choice);
            }
        }
        throw new IllegalStateException("weights changed while picking");
    }
}
