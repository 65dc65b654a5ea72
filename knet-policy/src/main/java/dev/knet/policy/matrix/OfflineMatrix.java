package dev.knet.policy.matrix;

import dev.knet.policy.PodView;
import dev.knet.policy.PolicyEngine;
import dev.knet.policy.Protocol;
import dev.knet.policy.Verdict;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;

/**
 * The matrix of a set of manifests, with a reason per cell, for the CLI. Pods without an address
 * get deterministic ones first (see {@link AddressAssigner}). Flows go pod to pod; a pod to itself
 * is loopback and always allowed.
 */
public final class OfflineMatrix {

    private final PolicyEngine engine;
    private final List<String> pods;
    private final List<Integer> ports;
    private final List<Protocol> protocols;
    private final List<MatrixRow> rows;

    private OfflineMatrix(PolicyEngine engine, List<Integer> ports, List<Protocol> protocols) {
        this.engine = engine;
        this.pods = engine.index().universe().pods().stream().map(PodView::key).toList();
        this.ports = List.copyOf(ports);
        this.protocols = List.copyOf(protocols);
        this.rows = computeRows();
    }

    public static OfflineMatrix fromManifests(List<HasMetadata> objects, List<Integer> ports, List<String> protocols) {
        return new OfflineMatrix(PolicyEngine.of(AddressAssigner.assign(WorkloadPods.expand(objects))), ports,
                protocols.stream().map(Protocol::parse).toList());
    }

    /**
     * An engine over manifests: Deployments stand for their pods, and pods and Services without
     * addresses get deterministic ones.
     */
    public static PolicyEngine offlineEngine(List<HasMetadata> objects) {
        return PolicyEngine.of(offlineObjects(objects));
    }

    /**
     * The objects the offline engine sees: namespaced objects without a namespace put in "default" (as
     * the API server puts them on apply), Deployments expanded to pods, missing addresses assigned.
     */
    public static List<HasMetadata> offlineObjects(List<HasMetadata> objects) {
        return AddressAssigner.assign(WorkloadPods.expand(inDefaultNamespace(objects)));
    }

    private static List<HasMetadata> inDefaultNamespace(List<HasMetadata> objects) {
        for (HasMetadata o : objects) {
            boolean namespaced = dev.knet.model.ResourceKinds.of(o).map(dev.knet.model.ResourceKind::namespaced)
                    .orElse(false);
            if (namespaced && o.getMetadata() != null && o.getMetadata().getNamespace() == null) {
                o.getMetadata().setNamespace("default");
            }
        }
        return objects;
    }

    /** The engine over the same objects (with assigned addresses), for single-flow checks. */
    public PolicyEngine engine() {
        return engine;
    }

    public List<String> pods() {
        return pods;
    }

    public List<MatrixRow> rows() {
        return rows;
    }

    public String table() {
        return MatrixRenderer.tables(pods, rows, ports, protocols);
    }

    public String json() {
        return MatrixRenderer.json(rows);
    }

    private List<MatrixRow> computeRows() {
        List<MatrixRow> out = new ArrayList<>();
        for (int port : ports) {
            for (Protocol protocol : protocols) {
                for (String from : pods) {
                    for (String to : pods) {
                        Verdict v = engine.check(from, to, port, protocol);
                        out.add(new MatrixRow(from, to, port, protocol, v.allowed(), v.reason()));
                    }
                }
            }
        }
        return out;
    }
}
