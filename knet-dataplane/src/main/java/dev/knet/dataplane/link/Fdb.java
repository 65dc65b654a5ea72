package dev.knet.dataplane.link;

import java.util.List;

/** The bridge forwarding database of a device inside a knet namespace ({@code bridge fdb}). */
public interface Fdb {

    /** {@code bridge fdb append}: several entries for the same MAC (the flood entry) are allowed. */
    void append(String netns, FdbEntry entry);

    /** Deletes the entry; a missing one is not an error. */
    void delete(String netns, FdbEntry entry);

    /** Entries with a remote destination on {@code dev}. */
    List<FdbEntry> list(String netns, String dev);
}
