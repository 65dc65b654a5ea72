package dev.knet.policy.enforce;

import dev.knet.model.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.util.ArrayList;
import java.util.List;

/** Small clusters as YAML for the enforcement tests. */
final class Scenario {

    private Scenario() {
    }

    /**
     * Namespaces prod (env=prod) and dev (env=dev); pods web (http/80) and db (pg/5432) in each. On node n0:
     * prod/web (veth kp-web), prod/db (kp-db); on node n1: dev/web (kd-web), dev/db (kd-db).
     */
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
            spec: {nodeName: n0, containers: [{name: c, image: i, ports: [{name: http, containerPort: 80}]}]}
            status: {podIP: 10.244.1.10}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: prod, labels: {app: db}}
            spec: {nodeName: n0, containers: [{name: c, image: i, ports: [{name: pg, containerPort: 5432}]}]}
            status: {podIP: 10.244.1.11}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: dev, labels: {app: web}}
            spec: {nodeName: n1, containers: [{name: c, image: i, ports: [{name: http, containerPort: 80}]}]}
            status: {podIP: 10.244.2.10}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: dev, labels: {app: db}}
            spec: {nodeName: n1, containers: [{name: c, image: i, ports: [{name: pg, containerPort: 5432}]}]}
            status: {podIP: 10.244.2.11}
            """;

    /** prod/db accepts web pods of any namespace on pg (named), 6000-6010, and 192.168.0.0/16 minus .1.0/24. */
    static final String NP_DB = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db, namespace: prod}
            spec:
              podSelector: {matchLabels: {app: db}}
              policyTypes: [Ingress]
              ingress:
              - from:
                - {namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}
                - ipBlock: {cidr: 192.168.0.0/16, except: [192.168.1.0/24]}
                ports:
                - {port: pg}
                - {port: 6000, endPort: 6010}
            """;

    /** prod/web may only talk to db pods in prod on TCP/5432 and to anything on UDP/53. */
    static final String NP_WEB_EGRESS = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: web-egress, namespace: prod}
            spec:
              podSelector: {matchLabels: {app: web}}
              policyTypes: [Egress]
              egress:
              - to: [{podSelector: {matchLabels: {app: db}}}]
                ports: [{port: 5432}]
              - ports: [{port: 53, protocol: UDP}]
            """;

    static final String ADMIN_DENY_DEV_TO_PROD = """
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: isolate-prod}
            spec:
              tier: Admin
              priority: 10
              subject: {namespaces: {matchLabels: {env: prod}}}
              ingress:
              - name: no-dev
                action: Deny
                from: [{namespaces: {matchLabels: {env: dev}}}]
            """;

    static final String ADMIN_ACCEPT_DEV_WEB_FIRST = """
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: dev-web-exception}
            spec:
              tier: Admin
              priority: 5
              subject: {pods: {namespaceSelector: {matchLabels: {env: prod}}, podSelector: {matchLabels: {app: db}}}}
              ingress:
              - action: Accept
                from: [{pods: {namespaceSelector: {matchLabels: {env: dev}}, podSelector: {matchLabels: {app: web}}}}]
                protocols: [{tcp: {destinationPort: {number: 5432}}}]
            """;

    static final String ADMIN_PASS_ALL = """
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: delegate}
            spec:
              tier: Admin
              priority: 1
              subject: {namespaces: {}}
              ingress:
              - action: Pass
                from: [{namespaces: {}}]
            """;

    static final String BASELINE_DENY_ALL = """
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: default-deny}
            spec:
              tier: Baseline
              priority: 50
              subject: {namespaces: {}}
              ingress:
              - action: Deny
                from: [{namespaces: {}}]
            """;

    static final String ADMIN_DENY_EGRESS_NETWORK = """
            apiVersion: policy.networking.k8s.io/v1alpha2
            kind: ClusterNetworkPolicy
            metadata: {name: no-metadata-server}
            spec:
              tier: Admin
              priority: 0
              subject: {namespaces: {}}
              egress:
              - action: Deny
                to: [{networks: [169.254.169.254/32]}]
                protocols: [{tcp: {destinationPort: {range: {start: 1, end: 1024}}}}]
            """;

    static List<HasMetadata> parse(String... yamlDocuments) {
        List<HasMetadata> out = new ArrayList<>();
        for (String yaml : yamlDocuments) {
            out.addAll(Manifests.parse(yaml, "test"));
        }
        return out;
    }

    /** The veth naming of {@link #TWO_NAMESPACES}: "kp-web" for prod/web, "kd-db" for dev/db. */
    static String veth(io.fabric8.kubernetes.api.model.Pod pod) {
        return veth(pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName());
    }

    static String veth(String key) {
        return "k" + key.charAt(0) + "-" + key.substring(key.indexOf('/') + 1);
    }
}
