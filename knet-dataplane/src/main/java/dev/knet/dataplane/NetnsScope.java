package dev.knet.dataplane;

import dev.knet.dataplane.netns.NetnsNames;

/**
 * Where a command runs. There is deliberately no "root namespace" scope: {@link Admin} only
 * manages the namespace files themselves ({@code ip netns add/del/list}), every other command
 * runs inside a knet namespace, so no code path can change the host's own network.
 */
public sealed interface NetnsScope {

    /** Namespace administration: only {@code ip netns ...} argv lists are accepted. */
    record Admin() implements NetnsScope {
    }

    /** Inside the named network namespace, which must carry the knet prefix. */
    record In(String netns) implements NetnsScope {
        public In {
            NetnsNames.requireKnet(netns);
        }
    }

    static NetnsScope admin() {
        return new Admin();
    }

    static NetnsScope in(String netns) {
        return new In(netns);
    }
}
