package dev.knet.policy.observe;

import dev.knet.dataplane.nflog.NflogPacket;
import dev.knet.dataplane.nflog.NflogSource;

import java.util.List;

/** A drop log fed by the test: each {@link #log} call is one batch the reader receives. */
final class FakeNflogSource extends FakeBatchSource<NflogPacket> implements NflogSource {

    FakeNflogSource log(NflogPacket... packets) {
        add(List.of(packets));
        return this;
    }

    /** The next receive throws, as a socket error would. */
    FakeNflogSource failWith(RuntimeException e) {
        fail(e);
        return this;
    }
}
