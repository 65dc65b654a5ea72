package dev.knet.cli.print;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Instant;
import java.util.List;

/** The columns `knet get` prints for one kind, kubectl's choice of them. */
interface Columns<T extends HasMetadata> {

    List<String> headers(boolean wide);

    List<String> cells(T object, boolean wide, Instant now);
}
