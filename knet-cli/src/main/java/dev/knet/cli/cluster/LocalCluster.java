package dev.knet.cli.cluster;

import dev.knet.control.config.ClusterConfig;
import dev.knet.control.ControlPlane;
import dev.knet.model.ResourceKind;
import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiStore;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.ListOptions;
import dev.knet.store.Mutation;
import dev.knet.store.journal.FileJournal;
import dev.knet.store.validation.DefaultingPlugin;
import dev.knet.store.validation.ValidationPlugin;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cluster run inside the command: the store over the state directory plus the control plane,
 * which reconciles until idle before each command returns. Used when no lab daemon runs.
 */
public final class LocalCluster implements ClusterClient {

    private static final Duration SETTLE = Duration.ofSeconds(60);

    private final ApiStore store;
    private final ControlPlane controlPlane;

    private LocalCluster(ApiStore store, ControlPlane controlPlane) {
        this.store = store;
        this.controlPlane = controlPlane;
    }

    /** Opens (or creates) the cluster state in a directory and lets the control plane catch up. */
    public static LocalCluster open(Path stateDir, ClusterConfig config) {
        ApiStore store = openStore(stateDir, config);
        try {
            ControlPlane cp = ControlPlane.start(store, config, ControlPlane.Options.simulated());
            cp.awaitIdle(SETTLE);
            return new LocalCluster(store, cp);
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** The store with the admission chain every knet API server has: defaults, validation, allocators. */
    public static ApiStore openStore(Path stateDir, ClusterConfig config) {
        DefaultApiStore.Builder builder = DefaultApiStore.builder().journal(FileJournal.open(stateDir))
                .admission(new DefaultingPlugin())
                .admission(new ValidationPlugin());
        ControlPlane.admissionPlugins(config).forEach(builder::admission);
        return builder.build();
    }

    public ApiStore store() {
        return store;
    }

    @Override
    public List<Applied> apply(List<HasMetadata> objects) {
        List<Mutation> mutations = new ArrayList<>();
        List<ApplyOutcome> outcomes = new ArrayList<>();
        List<Integer> positions = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            HasMetadata o = objects.get(i);
            ResourceKind<?> kind = ResourceKinds.of(o).orElseThrow(() -> new IllegalArgumentException(
                    "no kind \"" + o.getKind() + "\" is registered for version \"" + o.getApiVersion() + "\""));
            Optional<? extends HasMetadata> existing = o.getMetadata() == null || o.getMetadata().getName() == null
                    ? Optional.empty()
                    : store.get(kind, o.getMetadata().getNamespace() == null ? "default" : o.getMetadata().getNamespace(),
                    o.getMetadata().getName());
            if (existing.isPresent() && ApplyPlan.unchanged(o, existing.get())) {
                outcomes.add(ApplyOutcome.UNCHANGED);
                positions.add(-1);
                continue;
            }
            outcomes.add(existing.isPresent() ? ApplyOutcome.CONFIGURED : ApplyOutcome.CREATED);
            positions.add(mutations.size());
            mutations.add(new Mutation.Apply(o));
        }
        List<HasMetadata> stored = mutations.isEmpty() ? List.of() : store.commit(mutations);
        controlPlane.awaitIdle(SETTLE);
        List<Applied> result = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            int at = positions.get(i);
            result.add(new Applied(at < 0 ? objects.get(i) : stored.get(at), outcomes.get(i)));
        }
        return result;
    }

    @Override
    public <T extends HasMetadata> List<T> list(ResourceKind<T> kind, String namespace, String labelSelector) {
        return store.list(kind, new ListOptions(namespace, labelSelector, null)).items();
    }

    @Override
    public <T extends HasMetadata> Optional<T> get(ResourceKind<T> kind, String namespace, String name) {
        return store.get(kind, namespace, name);
    }

    @Override
    public boolean delete(ResourceKind<?> kind, String namespace, String name) {
        if (store.get(kind, namespace, name).isEmpty()) {
            return false;
        }
        store.delete(kind, namespace, name);
        controlPlane.awaitIdle(SETTLE);
        return true;
    }

    @Override
    public void close() {
        try {
            controlPlane.close();
        } finally {
            store.close();
        }
    }
}
