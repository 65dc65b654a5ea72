package dev.knet.lab;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Whether this host can run a namespace lab, and if not, why. */
public final class LabHost {

    private static final List<Path> IP_BINARIES = List.of(Path.of("/usr/sbin/ip"), Path.of("/sbin/ip"),
            Path.of("/usr/bin/ip"), Path.of("/bin/ip"));

    private static final List<Path> NFT_BINARIES = List.of(Path.of("/usr/sbin/nft"), Path.of("/sbin/nft"),
            Path.of("/usr/bin/nft"));

    private LabHost() {
    }

    /** Empty when namespaces can be built; else the reason, for the log. */
    public static Optional<String> whyNot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.of("not running as root: network namespaces need CAP_SYS_ADMIN and CAP_NET_ADMIN");
        }
        if (IP_BINARIES.stream().noneMatch(Files::isExecutable)) {
            return Optional.of("iproute2's 'ip' is not installed (apt-get install iproute2)");
        }
        if (NFT_BINARIES.stream().noneMatch(Files::isExecutable)) {
            // the node agents program Services and NetworkPolicy with nftables
            return Optional.of("nftables' 'nft' is not installed (apt-get install nftables)");
        }
        return Optional.empty();
    }
}
