package dev.knet.store;

import dev.knet.model.KnetJson;
import dev.knet.model.ObjectKey;
import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One write transaction: the mutations run against an overlay on the committed tables, so a
 * failure anywhere leaves the tables untouched. Produces the journal entry and the events to
 * publish once the journal has made the entry durable.
 */
final class Transaction implements StoreView {

    private final ObjectTables tables;
    private final List<AdmissionPlugin> admission;
    private long version;
    /** Changed objects by kind and key; a null value is a removal. */
    private final Map<ResourceKind<?>, Map<String, HasMetadata>> overlay = new LinkedHashMap<>();
    private final List<EventLog.Entry> events = new ArrayList<>();
    private final List<HasMetadata> results = new ArrayList<>();
    /** One timestamp per transaction: its writes happen at one instant. */
    private Instant now;

    private Handoff handoff = Handoff.COPY;
    /** Objects handed over (Handoff.TRANSFER) to updates, with the resourceVersion they came with. */
    private final Map<HasMetadata, String> transferred = new java.util.IdentityHashMap<>();

    Transaction handoff(Handoff handoff) {
        this.handoff = handoff;
        return this;
    }

    Transaction(ObjectTables tables, List<AdmissionPlugin> admission, long version) {
        this.tables = tables;
        this.admission = admission;
        this.version = version;
    }

    long version() {
        return version;
    }

    List<EventLog.Entry> events() {
        return events;
    }

    /** In mutation order: the stored objects themselves (copy before handing out), null for removals. */
    List<HasMetadata> results() {
        return results;
    }

    Map<ResourceKind<?>, Map<String, HasMetadata>> overlay() {
        return overlay;
    }

    void run(Mutation mutation) {
        switch (mutation) {
            case Mutation.Create c -> results.add(create(copyIn(c.object())));
            case Mutation.Update u -> results.add(update(copyIn(u.object()), false));
            case Mutation.UpdateStatus s -> results.add(update(statusIn(s.object()), true));
            case Mutation.Apply a -> {
                HasMetadata object = copyIn(a.object());
                ResourceKind<?> kind = kindOf(object);
                // Before the key is computed: a namespaced object without a namespace lives in "default".
                normaliseNamespace(kind, object);
                boolean exists = object.getMetadata().getName() != null
                        && current(kind, ObjectTables.key(object)) != null;
                if (exists) {
                    object.getMetadata().setResourceVersion(null);
                    results.add(update(object, false));
                } else {
                    results.add(create(object));
                }
            }
            case Mutation.Delete d -> results.add(delete(d));
        }
    }

    private HasMetadata create(HasMetadata object) {
        ResourceKind<?> kind = kindOf(object);
        ObjectMeta meta = object.getMetadata();
        normaliseNamespace(kind, object);
        if ((meta.getName() == null || meta.getName().isEmpty()) && meta.getGenerateName() != null) {
            meta.setName(meta.getGenerateName() + randomSuffix());
        }
        if (meta.getName() == null || meta.getName().isEmpty()) {
            throw new ApiException.Invalid(ObjectKey.of(object), List.of(FieldError.required("metadata.name")));
        }
        String key = ObjectTables.key(object);
        if (current(kind, key) != null) {
            throw new ApiException.AlreadyExists(ObjectKey.of(object));
        }
        requireNamespace(kind, object);
        meta.setUid(randomUid());
        meta.setCreationTimestamp(now());
        meta.setGeneration(1L);
        meta.setDeletionTimestamp(null);
        admit(AdmissionPlugin.Operation.CREATE, object, null);
        return put(kind, key, object, null);
    }

    private HasMetadata update(HasMetadata object, boolean statusOnly) {
        ResourceKind<?> kind = kindOf(object);
        normaliseNamespace(kind, object);
        String key = ObjectTables.key(object);
        HasMetadata old = current(kind, key);
        if (old == null) {
            throw new ApiException.NotFound(ObjectKey.of(object));
        }
        String given = object.getMetadata().getResourceVersion();
        if (handoff == Handoff.TRANSFER) {
            transferred.putIfAbsent(object, given);
        }
        if (given != null && !given.isEmpty() && !given.equals(old.getMetadata().getResourceVersion())) {
            throw new ApiException.Conflict(ObjectKey.of(object), given, old.getMetadata().getResourceVersion());
        }
        HasMetadata next;
        if (statusOnly) {
            // Shares the stored spec (stored objects are immutable); admission must change only status here.
            next = ShallowCopies.withOwnMetadata(old);
            StatusAccess.setStatus(next, StatusAccess.status(object));
        } else {
            next = object;
            // A copy: the plugins below may change next's status, and old may be committed state.
            Object status = StatusAccess.status(old);
            StatusAccess.setStatus(next, status == null ? null
                    : KnetJson.serialization().convertValue(status, status.getClass()));
            ObjectMeta meta = next.getMetadata();
            ObjectMeta was = old.getMetadata();
            meta.setUid(was.getUid());
            meta.setCreationTimestamp(was.getCreationTimestamp());
            meta.setDeletionTimestamp(was.getDeletionTimestamp());
            meta.setDeletionGracePeriodSeconds(was.getDeletionGracePeriodSeconds());
            meta.setGeneration(was.getGeneration());
        }
        admit(statusOnly ? AdmissionPlugin.Operation.UPDATE_STATUS : AdmissionPlugin.Operation.UPDATE, next, old);
        // After admission: a spec that defaulting completes to the stored one is no change.
        if (!statusOnly && !sameSpec(next, old)) {
            Long was = old.getMetadata().getGeneration();
            next.getMetadata().setGeneration(was == null ? 1L : was + 1);
        }
        // Removing the last finalizer of an object being deleted completes the deletion.
        if (next.getMetadata().getDeletionTimestamp() != null && next.getMetadata().getFinalizers().isEmpty()
                && isFinal(kind, next)) {
            return remove(kind, key, old);
        }
        return put(kind, key, next, old);
    }

    private HasMetadata delete(Mutation.Delete d) {
        ResourceKind<?> kind = d.kind();
        String key = ObjectTables.key(kind, d.namespace(), d.name());
        ObjectKey id = new ObjectKey(kind.kind(), kind.namespaced() ? d.namespace() : "", d.name());
        HasMetadata old = current(kind, key);
        if (old == null) {
            throw new ApiException.NotFound(id);
        }
        boolean hasFinalizers = !old.getMetadata().getFinalizers().isEmpty();
        boolean graceful = !DeletionGrace.immediate(d.grace()) && runsOnNode(old);
        if (hasFinalizers || graceful) {
            Optional<DeletionGrace.Marks> marks;
            if (old.getMetadata().getDeletionTimestamp() == null) {
                marks = Optional.of(graceful ? DeletionGrace.graceful((Pod) old, d.grace(), instant())
                        : DeletionGrace.heldByFinalizers(old, instant()));
            } else if (runsOnNode(old)) {
                marks = DeletionGrace.shortened(old.getMetadata(), d.grace(), instant());
            } else {
                marks = Optional.empty();
            }
            if (marks.isEmpty()) {
                return old; // already being deleted, and no shorter grace: no write, no event
            }
            HasMetadata next = ObjectCopies.copy(old);
            marks.get().applyTo(next.getMetadata());
            admit(AdmissionPlugin.Operation.DELETE, null, old);
            return put(kind, key, next, old);
        }
        admit(AdmissionPlugin.Operation.DELETE, null, old);
        remove(kind, key, old);
        return null;
    }

    /** A pod that a node runs is removed by that node once its containers stop (graceful termination). */
    private static boolean runsOnNode(HasMetadata object) {
        return object instanceof Pod pod && pod.getSpec() != null && pod.getSpec().getNodeName() != null
                && !(pod.getStatus() != null && ("Succeeded".equals(pod.getStatus().getPhase())
                || "Failed".equals(pod.getStatus().getPhase())));
    }

    /** A terminating pod also needs its node to let go, signalled by a delete after the grace. */
    private static boolean isFinal(ResourceKind<?> kind, HasMetadata object) {
        return kind != ResourceKinds.POD || !runsOnNode(object);
    }

    private HasMetadata put(ResourceKind<?> kind, String key, HasMetadata object, HasMetadata old) {
        version++;
        object.getMetadata().setResourceVersion(Long.toString(version));
        overlay.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(key, object);
        events.add(new EventLog.Entry(version, kind,
                old == null ? WatchEvent.Type.ADDED : WatchEvent.Type.MODIFIED, object, old));
        return object;
    }

    private HasMetadata remove(ResourceKind<?> kind, String key, HasMetadata old) {
        version++;
        HasMetadata last = ObjectCopies.copy(old);
        last.getMetadata().setResourceVersion(Long.toString(version));
        overlay.computeIfAbsent(kind, k -> new LinkedHashMap<>()).put(key, null);
        events.add(new EventLog.Entry(version, kind, WatchEvent.Type.DELETED, last, old));
        return null;
    }

    private void admit(AdmissionPlugin.Operation op, HasMetadata object, HasMetadata old) {
        for (AdmissionPlugin plugin : admission) {
            plugin.admit(op, object, old, this);
        }
    }

    private void requireNamespace(ResourceKind<?> kind, HasMetadata object) {
        if (kind.namespaced()
                && get(ResourceKinds.NAMESPACE, null, object.getMetadata().getNamespace()).isEmpty()) {
            throw new ApiException.NotFound(new ObjectKey("Namespace", "", object.getMetadata().getNamespace()));
        }
    }

    private static void normaliseNamespace(ResourceKind<?> kind, HasMetadata object) {
        ObjectMeta meta = object.getMetadata();
        if (!kind.namespaced()) {
            if (meta.getNamespace() != null && !meta.getNamespace().isEmpty()) {
                throw new ApiException.BadRequest(ObjectKey.of(object) + ": " + kind.kind()
                        + " is cluster-scoped and takes no metadata.namespace");
            }
            meta.setNamespace(null);
        } else if (meta.getNamespace() == null || meta.getNamespace().isEmpty()) {
            meta.setNamespace("default");
        }
    }

    private HasMetadata copyIn(HasMetadata object) {
        Objects.requireNonNull(object, "object");
        if (object.getMetadata() == null) {
            object.setMetadata(new ObjectMeta());
        }
        return handoff == Handoff.TRANSFER ? object : ObjectCopies.copy(object);
    }

    /**
     * For a status write only the key, resourceVersion and status of the object matter: a new
     * top-level object carries them, with the status copied unless it was handed over.
     */
    private HasMetadata statusIn(HasMetadata object) {
        Objects.requireNonNull(object, "object");
        if (object.getMetadata() == null || handoff == Handoff.TRANSFER) {
            return copyIn(object);
        }
        HasMetadata carrier = ShallowCopies.withOwnMetadata(object);
        Object status = StatusAccess.status(object);
        StatusAccess.setStatus(carrier, status == null ? null
                : KnetJson.serialization().convertValue(status, status.getClass()));
        return carrier;
    }

    static ResourceKind<?> kindOf(HasMetadata object) {
        return ResourceKinds.of(object).orElseThrow(() -> new ApiException.BadRequest(
                "no kind \"" + object.getKind() + "\" in version \"" + object.getApiVersion() + "\""));
    }

    private static boolean sameSpec(HasMetadata a, HasMetadata b) {
        return StatusAccess.sameSpec(a, b).orElseGet(() -> content(a).equals(content(b)));
    }

    /** Everything but metadata and status (for kinds without a spec field), compared by the model's equals. */
    private static HasMetadata content(HasMetadata object) {
        HasMetadata c = ShallowCopies.withOwnMetadata(object);
        c.setMetadata(null);
        StatusAccess.setStatus(c, null);
        return c;
    }

    /**
     * Puts back the resourceVersions that a refused transaction wrote into objects handed over to it,
     * so the caller can retry them as they were.
     */
    void restoreHandedOver() {
        transferred.forEach((object, version) -> object.getMetadata().setResourceVersion(version));
    }

    private String now() {
        return instant().toString();
    }

    private Instant instant() {
        if (now == null) {
            now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        }
        return now;
    }

    /** A random (version 4) UUID; uids need to be unique, not unguessable, so no SecureRandom. */
    private static String randomUid() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long high = (r.nextLong() & ~0xF000L) | 0x4000L;
        long low = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }

    private static String randomSuffix() {
        String alphabet = "bcdfghjklmnpqrstvwxz2456789";
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            sb.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    private HasMetadata current(ResourceKind<?> kind, String key) {
        Map<String, HasMetadata> changed = overlay.get(kind);
        if (changed != null && changed.containsKey(key)) {
            return changed.get(key);
        }
        return tables.get(kind, key);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Optional<T> get(ResourceKind<T> kind, String namespace, String name) {
        return Optional.ofNullable((T) current(kind, ObjectTables.key(kind, namespace, name)));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T extends HasMetadata> Collection<T> all(ResourceKind<T> kind) {
        Map<String, HasMetadata> changed = overlay.get(kind);
        if (changed == null || changed.isEmpty()) {
            return (Collection<T>) tables.values(kind);
        }
        Map<String, HasMetadata> merged = new LinkedHashMap<>();
        for (HasMetadata o : tables.values(kind)) {
            merged.put(ObjectTables.key(o), o);
        }
        changed.forEach((k, v) -> {
            if (v == null) {
                merged.remove(k);
            } else {
                merged.put(k, v);
            }
        });
        return (Collection<T>) merged.values();
    }
}
