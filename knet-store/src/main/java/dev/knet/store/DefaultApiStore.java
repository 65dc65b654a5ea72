package dev.knet.store;

import dev.knet.model.LabelSelectors;
import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The API store: committed tables, a journal that makes each transaction durable before it is
 * visible, and an event log that watches read from. Writers are serialised by one lock, held
 * across the journal's fsync; a second, short lock covers only the publication of a committed
 * transaction (tables, version, events), so lists and new watches wait for that, never for a disk.
 */
public final class DefaultApiStore implements ApiStore {

    /** Namespaces every cluster has. */
    public static final List<String> SYSTEM_NAMESPACES = List.of("default", "kube-system", "kube-public", "kube-node-lease");

    private static final Logger LOG = LoggerFactory.getLogger(DefaultApiStore.class);

    private final ObjectTables tables = new ObjectTables();
    private final Journal journal;
    private final List<AdmissionPlugin> admission;
    private final EventLog log;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReentrantLock publishLock = new ReentrantLock();
    private final Set<WatchDelivery<?>> watches = ConcurrentHashMap.newKeySet();
    private volatile long version;

    private DefaultApiStore(Journal journal, List<AdmissionPlugin> admission, int historySize) {
        this.journal = Objects.requireNonNull(journal, "journal");
        this.admission = List.copyOf(admission);
        try {
            Journal.Recovered recovered = journal.recover();
            for (HasMetadata o : recovered.objects()) {
                tables.put(Transaction.kindOf(o), ObjectTables.key(o), o);
            }
            this.version = recovered.resourceVersion();
            this.log = new EventLog(historySize, version);
            bootstrapNamespaces();
        } catch (RuntimeException e) {
            // The store owns the journal: without this a failed start would keep its state lock.
            journal.close();
            throw e;
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Builds a store; journal defaults to in-memory, history to 100,000 events. */
    public static final class Builder {
        private Journal journal = Journal.inMemory();
        private final List<AdmissionPlugin> admission = new ArrayList<>();
        private int historySize = 100_000;

        public Builder journal(Journal journal) {
            this.journal = Objects.requireNonNull(journal, "journal");
            return this;
        }

        /** Admission plugins run in the order added. */
        public Builder admission(AdmissionPlugin plugin) {
            admission.add(Objects.requireNonNull(plugin, "plugin"));
            return this;
        }

        public Builder historySize(int events) {
            this.historySize = events;
            return this;
        }

        public DefaultApiStore build() {
            return new DefaultApiStore(journal, admission, historySize);
        }
    }

    private void bootstrapNamespaces() {
        List<Mutation> missing = new ArrayList<>();
        for (String ns : SYSTEM_NAMESPACES) {
            if (tables.get(ResourceKinds.NAMESPACE, ns) == null) {
                Namespace n = new NamespaceBuilder().withNewMetadata().withName(ns)
                        .addToLabels("kubernetes.io/metadata.name", ns).endMetadata().build();
                missing.add(new Mutation.Create(n));
            }
        }
        if (!missing.isEmpty()) {
            commit(missing);
        }
    }

    @Override
    public List<HasMetadata> commit(List<? extends Mutation> mutations) {
        return commit(mutations, Handoff.COPY);
    }

    @Override
    public List<HasMetadata> commit(List<? extends Mutation> mutations, Handoff handoff) {
        writeLock.lock();
        try {
            Transaction tx = new Transaction(tables, admission, version).handoff(handoff);
            try {
                for (Mutation m : mutations) {
                    tx.run(m);
                }
            } catch (RuntimeException e) {
                tx.restoreHandedOver();
                throw e;
            }
            if (tx.version() == version) {
                return ObjectCopies.copiedOnRead(tx.results());
            }
            List<HasMetadata> written = new ArrayList<>();
            List<Journal.Removal> removed = new ArrayList<>();
            for (var byKind : tx.overlay().entrySet()) {
                ResourceKind<?> kind = byKind.getKey();
                for (var e : byKind.getValue().entrySet()) {
                    if (e.getValue() == null) {
                        String key = e.getKey();
                        int slash = key.indexOf('/');
                        removed.add(new Journal.Removal(kind.apiVersion(), kind.kind(),
                                kind.namespaced() ? key.substring(0, slash) : null,
                                kind.namespaced() ? key.substring(slash + 1) : key));
                    } else {
                        written.add(e.getValue());
                    }
                }
            }
            try {
                journal.append(new Journal.Entry(tx.version(), written, removed));
            } catch (RuntimeException e) {
                throw new ApiException.Unavailable("cannot persist the write: " + e.getMessage(), e);
            }
            publish(tx);
            if (journal.wantsSnapshot()) {
                snapshot();
            }
            return ObjectCopies.copiedOnRead(tx.results());
        } finally {
            writeLock.unlock();
        }
    }

    private void publish(Transaction tx) {
        publishLock.lock();
        try {
            for (var byKind : tx.overlay().entrySet()) {
                for (var e : byKind.getValue().entrySet()) {
                    tables.put(byKind.getKey(), e.getKey(), e.getValue());
                }
            }
            version = tx.version();
            log.append(tx.events());
        } finally {
            publishLock.unlock();
        }
    }

    /** The transaction is already durable and visible: a failed snapshot must not fail it. */
    private void snapshot() {
        try {
            journal.snapshot(tables.everything(), version);
        } catch (RuntimeException e) {
            LOG.warn("journal snapshot at resourceVersion {} failed", version, e);
        }
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Optional<T> get(ResourceKind<T> kind, String namespace, String name) {
        HasMetadata o = tables.get(kind, ObjectTables.key(kind, namespace, name));
        return Optional.ofNullable(o == null ? null : (T) ObjectCopies.copy(o));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> ObjectList<T> list(ResourceKind<T> kind, ListOptions options) {
        long at;
        List<T> items = new ArrayList<>();
        LabelSelector labels = parseLabels(options.labelSelector());
        FieldSelector fields = FieldSelector.parse(options.fieldSelector());
        // Reading under the publish lock gives a list consistent with one resourceVersion.
        publishLock.lock();
        try {
            at = version;
            for (HasMetadata o : tables.values(kind, options.namespace())) {
                if (LabelSelectors.matches(labels, o.getMetadata().getLabels()) && fields.matches(o)) {
                    items.add((T) o);
                }
            }
        } finally {
            publishLock.unlock();
        }
        return new ObjectList<>(items.stream().map(ObjectCopies::copy).toList(), at);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Watch watch(ResourceKind<T> kind, ListOptions options, Long fromResourceVersion,
                                               WatchListener<T> listener) {
        parseLabels(options.labelSelector());
        List<WatchEvent<T>> initial = new ArrayList<>();
        long from;
        tables.values(kind);
        if (fromResourceVersion == null || fromResourceVersion == 0) {
            publishLock.lock();
            try {
                from = version;
                WatchDelivery<T> probe = new WatchDelivery<>(log, kind, options, from, List.of(), listener);
                for (HasMetadata o : tables.values(kind, options.namespace())) {
                    if (probe.matches(o)) {
                        initial.add(new WatchEvent<>(WatchEvent.Type.ADDED, (T) o,
                                Long.parseLong(o.getMetadata().getResourceVersion())));
                    }
                }
            } finally {
                publishLock.unlock();
            }
        } else {
            from = fromResourceVersion;
        }
        WatchDelivery<T> delivery = new WatchDelivery<>(log, kind, options, from, initial, listener);
        watches.add(delivery);
        delivery.start(() -> watches.remove(delivery));
        return delivery;
    }

    private static LabelSelector parseLabels(String selector) {
        try {
            return LabelSelectors.parse(selector);
        } catch (IllegalArgumentException e) {
            throw new ApiException.BadRequest(e.getMessage());
        }
    }

    @Override
    public long resourceVersion() {
        return version;
    }

    /** Counts of stored objects per kind (for status output). */
    public Map<String, Integer> counts() {
        Map<String, Integer> out = new java.util.LinkedHashMap<>();
        for (ResourceKind<?> k : ResourceKinds.ALL) {
            out.put(k.kind(), tables.values(k).size());
        }
        return out;
    }

    /** Ends every watch (their listeners see onClose(null)), then closes the journal. */
    @Override
    public void close() {
        writeLock.lock();
        try {
            for (WatchDelivery<?> w : List.copyOf(watches)) {
                w.close();
            }
            journal.close();
        } finally {
            writeLock.unlock();
        }
    }
}
