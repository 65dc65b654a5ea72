package dev.knet.bench.dns;

import dev.knet.dns.index.ChangeType;
import dev.knet.dns.index.ClusterDnsIndex;
import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import dev.knet.store.ListOptions;
import dev.knet.store.Watch;
import dev.knet.store.WatchListener;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps a {@link ClusterDnsIndex} in step with an {@link ApiStore}, informer style: one list of
 * every kind the zone uses loaded with a single rebuild, then a watch per kind from its list's
 * resourceVersion applying each event. A watch that ends with an error (for example Gone) is
 * recorded in {@link #failure()}; recovering by relisting is the daemon's business.
 */
public final class StoreDnsFeed implements AutoCloseable {

    private static final List<ResourceKind<? extends HasMetadata>> KINDS = List.of(
            ResourceKinds.NAMESPACE, ResourceKinds.SERVICE, ResourceKinds.ENDPOINT_SLICE, ResourceKinds.POD);

    private final ApiStore store;
    private final ClusterDnsIndex index;
    private final List<Watch> watches = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private StoreDnsFeed(ApiStore store, ClusterDnsIndex index) {
        this.store = store;
        this.index = index;
    }

    public static StoreDnsFeed start(ApiStore store, ClusterDnsIndex index) {
        StoreDnsFeed feed = new StoreDnsFeed(store, index);
        List<HasMetadata> objects = new ArrayList<>();
        List<Long> versions = new ArrayList<>();
        for (ResourceKind<? extends HasMetadata> kind : KINDS) {
            versions.add(feed.listInto(kind, objects));
        }
        index.replaceAll(objects);
        try {
            for (int i = 0; i < KINDS.size(); i++) {
                feed.watches.add(feed.watchFrom(KINDS.get(i), versions.get(i)));
            }
        } catch (RuntimeException e) {
            feed.close();
            throw e;
        }
        return feed;
    }

    private <T extends HasMetadata> long listInto(ResourceKind<T> kind, List<HasMetadata> out) {
        var list = store.list(kind, ListOptions.all());
        out.addAll(list.items());
        return list.resourceVersion();
    }

    private <T extends HasMetadata> Watch watchFrom(ResourceKind<T> kind, long resourceVersion) {
        return store.watch(kind, ListOptions.all(), resourceVersion, new WatchListener<T>() {
            @Override
            public void onEvent(dev.knet.store.WatchEvent<T> event) {
                index.apply(ChangeType.valueOf(event.type().name()), event.object());
            }

            @Override
            public void onClose(Throwable cause) {
                if (cause != null) {
                    failure.compareAndSet(null, cause);
                }
            }
        });
    }

    /** The error that ended a watch, or null while every watch runs. */
    public Throwable failure() {
        return failure.get();
    }

    @Override
    public void close() {
        watches.forEach(Watch::close);
        watches.clear();
    }
}
