package dev.knet.cli.print;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.time.Instant;
import java.util.List;

/** NAME and AGE, for kinds without columns of their own. */
final class GenericColumns implements Columns<HasMetadata> {

    static final GenericColumns INSTANCE = new GenericColumns();

    @Override
    public List<String> headers(boolean wide) {
        return List.of("NAME", "AGE");
    }

    @Override
    public List<String> cells(HasMetadata object, boolean wide, Instant now) {
        return List.of(object.getMetadata().getName(), Ages.since(object.getMetadata().getCreationTimestamp(), now));
    }
}
