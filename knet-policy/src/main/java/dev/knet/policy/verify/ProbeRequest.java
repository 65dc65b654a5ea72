package dev.knet.policy.verify;

import dev.knet.policy.Protocol;

import java.util.Objects;

/** One real connection attempt: from inside network namespace {@code sourceNetns} to {@code address:port}. */
public record ProbeRequest(String sourceNetns, String address, int port, Protocol protocol) {
    public ProbeRequest {
        Objects.requireNonNull(sourceNetns, "sourceNetns");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(protocol, "protocol");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    @Override
    public String toString() {
        return sourceNetns + " -> " + address + ":" + port + "/" + protocol;
    }
}
