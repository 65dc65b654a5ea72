package dev.knet.policy;

import dev.knet.model.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;

/** Small clusters written as YAML, for readable tests. */
final class Fixtures {

    private Fixtures() {
    }

    /** Namespaces "prod" (env=prod) and "dev" (env=dev); pods web, db in each; web serves http/80, db 5432. */
    static final String TWO_NAMESPACES = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: prod, labels: {env: prod}}
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: dev, labels: {env: dev}}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: prod, labels: {app: web}}
            spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 80}]}]}
            status: {podIP: 10.244.1.10}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: prod, labels: {app: db}}
            spec: {containers: [{name: c, image: i, ports: [{name: pg, containerPort: 5432}]}]}
            status: {podIP: 10.244.1.11}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: dev, labels: {app: web}}
            spec: {containers: [{name: c, image: i, ports: [{name: http, containerPort: 80}]}]}
            status: {podIP: 10.244.2.10}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: dev, labels: {app: db}}
            spec: {containers: [{name: c, image: i, ports: [{name: pg, containerPort: 5432}]}]}
            status: {podIP: 10.244.2.11}
            """;

    static List<HasMetadata> parse(String... yamlDocuments) {
        List<HasMetadata> out = new ArrayList<>();
        for (String yaml : yamlDocuments) {
            out.addAll(Manifests.parse(yaml, "test"));
        }
        return out;
    }

    static PolicyEngine engine(String... yamlDocuments) {
        return PolicyEngine.of(parse(yamlDocuments));
    }
}
