package dev.knet.store;

import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** A journal that keeps its entries in memory and can be told to fail the next append. */
final class RecordingJournal implements Journal {

    final List<Entry> entries = new ArrayList<>();
    boolean failNextAppend;
    boolean closed;

    @Override
    public Recovered recover() {
        return new Recovered(List.<HasMetadata>of(), 0);
    }

    @Override
    public void append(Entry entry) {
        if (failNextAppend) {
            failNextAppend = false;
            throw new IllegalStateException("disk full");
        }
        entries.add(entry);
    }

    @Override
    public void snapshot(Collection<HasMetadata> objects, long resourceVersion) {
    }

    @Override
    public void close() {
        closed = true;
    }
}
