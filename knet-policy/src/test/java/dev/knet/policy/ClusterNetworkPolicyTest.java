package dev.knet.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/** The tiers: Admin ClusterNetworkPolicy, then NetworkPolicy, then Baseline, then default allow. */
class ClusterNetworkPolicyTest {

    static final String NP_ALLOW_DEV_TO_PROD_DB = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-allows-all-web, namespace: prod}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{namespaceSelector: {}, podSelector: {matchLabels: {app: web}}}]
            """;

    static final String NP_PROD_DB_ONLY_SAME_NS = """
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: db-same-ns, namespace: prod}
            spec:
              podSelector: {matchLabels: {app: db}}
              ingress:
              - from: [{podSelector: {}}]
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

    static Stream<Arguments> flows() {
        return Stream.of(
                arguments("NetworkPolicy alone allows dev/web -> prod/db", new String[]{NP_ALLOW_DEV_TO_PROD_DB},
                        "dev/web", "prod/db", 5432, true, "NetworkPolicy prod/db-allows-all-web allows ingress"),
                arguments("Admin Deny overrides a NetworkPolicy allow",
                        new String[]{NP_ALLOW_DEV_TO_PROD_DB, ADMIN_DENY_DEV_TO_PROD},
                        "dev/web", "prod/db", 5432, false,
                        "ClusterNetworkPolicy isolate-prod (Admin, priority 10) denies ingress to prod/db from dev/web (rule 0 (no-dev)"),
                arguments("Admin Deny leaves same-namespace traffic to NetworkPolicy",
                        new String[]{NP_ALLOW_DEV_TO_PROD_DB, ADMIN_DENY_DEV_TO_PROD},
                        "prod/web", "prod/db", 5432, true, "NetworkPolicy prod/db-allows-all-web allows ingress"),
                arguments("lower priority number decides first: Accept before Deny",
                        new String[]{ADMIN_DENY_DEV_TO_PROD, ADMIN_ACCEPT_DEV_WEB_FIRST, NP_PROD_DB_ONLY_SAME_NS},
                        "dev/web", "prod/db", 5432, true, "ClusterNetworkPolicy dev-web-exception (Admin, priority 5) accepts"),
                arguments("Admin Accept rule limited to TCP/5432 does not match TCP/80",
                        new String[]{ADMIN_DENY_DEV_TO_PROD, ADMIN_ACCEPT_DEV_WEB_FIRST},
                        "dev/web", "prod/db", 80, false, "isolate-prod (Admin, priority 10) denies"),
                arguments("Pass hands the decision to NetworkPolicy, which denies",
                        new String[]{ADMIN_PASS_ALL, NP_PROD_DB_ONLY_SAME_NS},
                        "dev/web", "prod/db", 5432, false,
                        "ClusterNetworkPolicy delegate (Admin, priority 1) passes ingress on to the next tier; prod/db is isolated for ingress by prod/db-same-ns"),
                arguments("Pass hands the decision to NetworkPolicy, which allows",
                        new String[]{ADMIN_PASS_ALL, NP_PROD_DB_ONLY_SAME_NS},
                        "prod/web", "prod/db", 5432, true, "NetworkPolicy prod/db-same-ns allows ingress"),
                arguments("Pass skips a later Admin Deny",
                        new String[]{ADMIN_PASS_ALL, ADMIN_DENY_DEV_TO_PROD},
                        "dev/web", "prod/db", 5432, true, "prod/db is not isolated for ingress"),
                arguments("Baseline Deny applies where no NetworkPolicy selects the pod",
                        new String[]{BASELINE_DENY_ALL, NP_PROD_DB_ONLY_SAME_NS},
                        "dev/db", "prod/web", 80, false,
                        "ClusterNetworkPolicy default-deny (Baseline, priority 50) denies ingress to prod/web from dev/db"),
                arguments("Baseline Deny does not apply where a NetworkPolicy selects the pod",
                        new String[]{BASELINE_DENY_ALL, NP_PROD_DB_ONLY_SAME_NS},
                        "prod/web", "prod/db", 5432, true, "NetworkPolicy prod/db-same-ns allows ingress"),
                arguments("Baseline Deny is not consulted where a NetworkPolicy selects the pod and denies",
                        new String[]{BASELINE_DENY_ALL, NP_PROD_DB_ONLY_SAME_NS},
                        "dev/web", "prod/db", 5432, false,
                        "denied: prod/db is isolated for ingress by prod/db-same-ns, and no rule allows dev/web"),
                arguments("Admin Pass then Baseline Deny",
                        new String[]{ADMIN_PASS_ALL, BASELINE_DENY_ALL},
                        "prod/web", "dev/web", 80, false, "default-deny (Baseline, priority 50) denies"),
                arguments("Admin egress Deny to a network, inside its port range",
                        new String[]{ADMIN_DENY_EGRESS_NETWORK},
                        "prod/web", "169.254.169.254", 80, false,
                        "no-metadata-server (Admin, priority 0) denies egress from prod/web to 169.254.169.254"),
                arguments("Admin egress Deny to a network, outside its port range",
                        new String[]{ADMIN_DENY_EGRESS_NETWORK},
                        "prod/web", "169.254.169.254", 8080, true, "no ingress policy applies to 169.254.169.254"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("flows")
    void decides(String name, String[] policies, String from, String to, int port, boolean allowed, String reasonPart) {
        String[] docs = Stream.concat(Stream.of(Fixtures.TWO_NAMESPACES), Stream.of(policies)).toArray(String[]::new);
        Verdict verdict = Fixtures.engine(docs).check(from, to, port, Protocol.TCP);
        assertThat(verdict.allowed()).as(verdict.reason()).isEqualTo(allowed);
        assertThat(verdict.reason()).contains(reasonPart);
    }
}
