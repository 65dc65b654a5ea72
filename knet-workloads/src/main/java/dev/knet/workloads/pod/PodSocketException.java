package dev.knet.workloads.pod;

import java.io.IOException;

/** A pod socket could not be created, for a reason other than the socket call's own IOException. */
public final class PodSocketException extends IOException {

    public PodSocketException(String message, Throwable cause) {
        super(message, cause);
    }
}
