package dev.knet.store;

import dev.knet.model.LabelSelectors;
import dev.knet.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;

import java.util.List;
import java.util.Objects;

/**
 * One watch: a thread that reads the event log from a cursor and hands matching events to the
 * listener. An object that stops matching the selectors is reported DELETED, one that starts
 * matching ADDED, as the Kubernetes API server does.
 */
final class WatchDelivery<T extends HasMetadata> implements Watch, Runnable {

    private final EventLog log;
    private final ResourceKind<T> kind;
    private final ListOptions options;
    private final LabelSelector labels;
    private final FieldSelector fields;
    private final WatchListener<T> listener;
    private final List<WatchEvent<T>> initial;
    private volatile boolean closed;
    private long cursor;
    private volatile Thread thread;

    WatchDelivery(EventLog log, ResourceKind<T> kind, ListOptions options, long fromVersion,
                  List<WatchEvent<T>> initial, WatchListener<T> listener) {
        this.log = log;
        this.kind = kind;
        this.options = options;
        this.labels = LabelSelectors.parse(options.labelSelector());
        this.fields = FieldSelector.parse(options.fieldSelector());
        this.listener = listener;
        this.initial = initial;
        this.cursor = fromVersion;
    }

    private Runnable onEnd = () -> { };

    /** Starts delivery on a virtual thread; {@code onEnd} runs once the watch has ended. */
    void start(Runnable onEnd) {
        this.onEnd = onEnd;
        thread = Thread.ofVirtual().name("watch-" + kind.plural()).start(this);
    }

    @Override
    public void run() {
        Throwable failure = null;
        try {
            for (WatchEvent<T> e : initial) {
                if (closed) {
                    break;
                }
                listener.onEvent(e);
            }
            while (!closed) {
                for (EventLog.Entry entry : log.after(cursor, 500)) {
                    cursor = entry.resourceVersion();
                    if (closed) {
                        break;
                    }
                    deliver(entry);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            closed = true;
            try {
                listener.onClose(failure);
            } finally {
                onEnd.run();
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void deliver(EventLog.Entry entry) {
        if (!entry.kind().equals(kind)) {
            return;
        }
        boolean now = entry.type() != WatchEvent.Type.DELETED && matches(entry.object());
        boolean before = entry.previous() != null && matches(entry.previous());
        if (entry.type() == WatchEvent.Type.DELETED) {
            if (matches(entry.object())) {
                listener.onEvent(new WatchEvent<>(WatchEvent.Type.DELETED, (T) entry.object(), entry.resourceVersion()));
            }
            return;
        }
        if (now && before) {
            listener.onEvent(new WatchEvent<>(WatchEvent.Type.MODIFIED, (T) entry.object(), entry.resourceVersion()));
        } else if (now) {
            listener.onEvent(new WatchEvent<>(WatchEvent.Type.ADDED, (T) entry.object(), entry.resourceVersion()));
        } else if (before) {
            listener.onEvent(new WatchEvent<>(WatchEvent.Type.DELETED, (T) entry.object(), entry.resourceVersion()));
        }
    }

    boolean matches(HasMetadata object) {
        if (options.namespace() != null && kind.namespaced()
                && !Objects.equals(options.namespace(), object.getMetadata().getNamespace())) {
            return false;
        }
        return LabelSelectors.matches(labels, object.getMetadata().getLabels()) && fields.matches(object);
    }

    @Override
    public void close() {
        closed = true;
        if (thread != null && thread != Thread.currentThread()) {
            thread.interrupt();
        }
    }
}
