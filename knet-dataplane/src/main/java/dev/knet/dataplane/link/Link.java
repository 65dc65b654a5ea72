package dev.knet.dataplane.link;

import java.util.List;
import java.util.Optional;

/** A network device as seen inside one namespace. {@code master} is null when the link has none. */
public record Link(String name, int index, LinkKind kind, int mtu, boolean up, String master, String mac,
                   List<LinkAddress> addresses) {

    public Link {
        addresses = List.copyOf(addresses);
    }

    public Optional<String> masterName() {
        return Optional.ofNullable(master);
    }

    public boolean hasAddress(LinkAddress address) {
        return addresses.stream().anyMatch(a -> a.sameAs(address));
    }
}
