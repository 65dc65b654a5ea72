package dev.knet.dns.index;

import java.util.Objects;

/** One resource record: owner name (absolute, lower case, no trailing dot), TTL in seconds and data. */
public record ResourceRecord(String name, long ttl, RecordData data) {

    public ResourceRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
    }

    public int type() {
        return data.type();
    }

    /** The same record under another owner name; answers echo the query's spelling of the name. */
    public ResourceRecord withName(String owner) {
        return new ResourceRecord(owner, ttl, data);
    }
}
