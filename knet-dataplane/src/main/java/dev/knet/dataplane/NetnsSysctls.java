package dev.knet.dataplane;

import java.util.List;

/** {@code ip netns exec NS sysctl}: the only way this code base writes kernel parameters. */
public final class NetnsSysctls implements Sysctls {

    private final CommandRunner runner;

    public NetnsSysctls(CommandRunner runner) {
        this.runner = runner;
    }

    @Override
    public void set(String netns, String key, String value) {
        runner.run(NetnsScope.in(netns), List.of("sysctl", "-q", "-w", key + "=" + value));
    }

    @Override
    public String get(String netns, String key) {
        return runner.run(NetnsScope.in(netns), List.of("sysctl", "-n", key)).stdout().strip();
    }
}
