package dev.knet.workloads.agnhost;

import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.Optional;

/** netexec's UDP (and SCTP) protocol: "hostname", "echo MSG", "clientip"; anything else gets no answer. */
final class UdpCommands {

    private UdpCommands() {
    }

    static Optional<String> answer(String hostname, String received, InetSocketAddress client) {
        // agnhost lower-cases the whole datagram, so "echo Hi" answers "hi"
        String text = received.strip().toLowerCase(Locale.ROOT);
        if (text.equals("hostname")) {
            return Optional.of(hostname);
        }
        if (text.startsWith("echo ")) {
            return Optional.of(text.substring("echo ".length()));
        }
        if (text.equals("clientip")) {
            return Optional.of(HostPorts.join(client.getAddress().getHostAddress(), client.getPort()));
        }
        return Optional.empty();
    }
}
