/**
 * The store's durable journal: {@link dev.knet.store.journal.FileJournal}.
 *
 * <pre>
 * stateDir/
 *   lock                           exclusive FileLock of the one writing process; holds its pid
 *   snapshot-00000000000000004711.snap   every object at resourceVersion 4711 (newest only)
 *   wal-00000000000000004711.log         entries after 4711, one record per transaction
 *
 * record = magic(4) | length(4) | crc32c(length, payload)(4) | payload (JSON)
 * </pre>
 *
 * <p>Append: one write and one fdatasync per transaction. Recovery: newest snapshot, then every
 * segment's entries newer than it, in order. A torn last record is cut off (it was never
 * acknowledged); a bad record followed by good ones, or any damage in a snapshot, stops recovery
 * with {@link dev.knet.store.JournalCorruptException} naming the file and offset. Snapshot: temp
 * file, fsync, rename, fsync of the directory, then a new segment, then the old files go.
 */
package dev.knet.store.journal;
