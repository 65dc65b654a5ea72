package dev.knet.store.validation;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Pods and Deployments: containers, policies, DNS, probes, selectors. */
class WorkloadValidationTest {

    record Case(String name, String yaml, String expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static String pod(String spec) {
        return "apiVersion: v1\nkind: Pod\nmetadata: {name: web-1}\nspec:\n" + spec;
    }

    private static String deployment(String spec) {
        return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n" + spec;
    }

    private static final String APP = "  containers: [{name: app, image: 'nginx:1.27'}]\n";

    static List<Case> cases() {
        String pod = "Pod default/web-1 is invalid: ";
        String dep = "Deployment default/web is invalid: ";
        return List.of(
                new Case("pod without containers", pod("  containers: []\n"), pod + "spec.containers: Required value"),
                new Case("duplicate container names", pod("""
                          containers: [{name: app, image: a}, {name: app, image: b}]
                        """), pod + "spec.containers[1].name: Duplicate value: \"app\""),
                new Case("container name not a label", pod("""
                          containers: [{name: App_1, image: a}]
                        """), pod + "spec.containers[0].name: Invalid value: \"App_1\": " + AdmissionFixture.DNS1123_LABEL_MSG),
                new Case("missing image", pod("""
                          containers: [{name: app}]
                        """), pod + "spec.containers[0].image: Required value"),
                new Case("unknown restartPolicy", pod(APP + "  restartPolicy: Sometimes\n"),
                        pod + "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\""),
                new Case("unknown dnsPolicy", pod(APP + "  dnsPolicy: ClusterOnly\n"),
                        pod + "spec.dnsPolicy: Unsupported value: \"ClusterOnly\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\""),
                new Case("dnsPolicy None without dnsConfig", pod(APP + "  dnsPolicy: None\n"),
                        pod + "spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"),
                new Case("dnsPolicy None without nameservers", pod(APP + "  dnsPolicy: None\n  dnsConfig: {searches: [svc.local]}\n"),
                        pod + "spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None"),
                new Case("four nameservers", pod(APP + "  dnsConfig: {nameservers: [10.0.0.1, 10.0.0.2, 10.0.0.3, 10.0.0.4]}\n"),
                        pod + "spec.dnsConfig.nameservers: Invalid value: \"[]string{\"10.0.0.1\", \"10.0.0.2\", \"10.0.0.3\", \"10.0.0.4\"}\": must not have more than 3 nameservers"),
                new Case("33 search domains", pod(APP + "  dnsConfig: {searches: [" + searches(33) + "]}\n"),
                        pod + "spec.dnsConfig.searches: Invalid value: \"[]string{" + quoted(33) + "}\": must not have more than 32 search paths"),
                new Case("search path with an upper-case letter or an empty label", pod(APP
                                + "  dnsConfig: {searches: [Svc.local, 'a..b']}\n"),
                        pod + "spec.dnsConfig.searches[0]: Invalid value: \"Svc.local\": " + UNDERSCORE_SUBDOMAIN_MSG
                                + "; spec.dnsConfig.searches[1]: Invalid value: \"a..b\": " + UNDERSCORE_SUBDOMAIN_MSG),
                new Case("hostname not a label", pod(APP + "  hostname: web.one\n"),
                        pod + "spec.hostname: Invalid value: \"web.one\": must not contain dots"),
                new Case("subdomain not a label", pod(APP + "  subdomain: Web\n"),
                        pod + "spec.subdomain: Invalid value: \"Web\": " + AdmissionFixture.DNS1123_LABEL_MSG),
                new Case("probe with two handlers", pod("""
                          containers:
                          - name: app
                            image: nginx
                            readinessProbe: {httpGet: {port: 80}, tcpSocket: {port: 80}}
                        """), pod + "spec.containers[0].readinessProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"),
                new Case("probe without handler", pod("""
                          containers:
                          - name: app
                            image: nginx
                            livenessProbe: {periodSeconds: 5}
                        """), pod + "spec.containers[0].livenessProbe: Required value: must specify a handler type"),
                new Case("probe on a bad named port", pod("""
                          containers:
                          - name: app
                            image: nginx
                            livenessProbe: {tcpSocket: {port: -http}}
                        """), pod + "spec.containers[0].livenessProbe.tcpSocket.port: Invalid value: \"-http\": must not begin or end with a hyphen"),
                new Case("upper-case containerPort name", pod("""
                          containers:
                          - name: app
                            image: nginx
                            ports: [{name: HTTP, containerPort: 80}]
                        """), pod + "spec.containers[0].ports[0].name: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-); "
                        + "spec.containers[0].ports[0].name: Invalid value: \"HTTP\": must contain at least one letter (a-z)"),
                new Case("duplicate containerPort name", pod("""
                          containers:
                          - name: app
                            image: nginx
                            ports: [{name: http, containerPort: 80}, {name: http, containerPort: 81}]
                        """), pod + "spec.containers[0].ports[1].name: Duplicate value: \"http\""),
                new Case("containerPort protocol", pod("""
                          containers:
                          - name: app
                            image: nginx
                            ports: [{containerPort: 80, protocol: tcp}]
                        """), pod + "spec.containers[0].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"SCTP\", \"TCP\", \"UDP\""),
                new Case("unknown imagePullPolicy", pod("""
                          containers: [{name: app, image: nginx, imagePullPolicy: Sometimes}]
                        """), pod + "spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\""),
                new Case("deployment without selector", deployment("""
                          template:
                            metadata: {labels: {app: web}}
                            spec: {containers: [{name: app, image: nginx}]}
                        """), dep + "spec.selector: Required value"),
                new Case("deployment selector not matching template", deployment("""
                          selector: {matchLabels: {app: web}}
                          template:
                            metadata: {labels: {app: other, tier: front}}
                            spec: {containers: [{name: app, image: nginx}]}
                        """), dep + "spec.template.metadata.labels: Invalid value: \"map[string]string{\"app\":\"other\", \"tier\":\"front\"}\": `selector` does not match template `labels`"),
                new Case("deployment with empty selector", deployment("""
                          selector: {}
                          template:
                            metadata: {labels: {app: web}}
                            spec: {containers: [{name: app, image: nginx}]}
                        """), dep + "spec.selector: Invalid value: \"{matchLabels: map[string]string{}, matchExpressions: 0}\": empty selector is invalid for deployment"),
                new Case("negative replicas", deployment("""
                          replicas: -1
                          selector: {matchLabels: {app: web}}
                          template:
                            metadata: {labels: {app: web}}
                            spec: {containers: [{name: app, image: nginx}]}
                        """), dep + "spec.replicas: Invalid value: \"-1\": must be greater than or equal to 0"),
                new Case("deployment template restartPolicy Never", deployment("""
                          selector: {matchLabels: {app: web}}
                          template:
                            metadata: {labels: {app: web}}
                            spec: {restartPolicy: Never, containers: [{name: app, image: nginx}]}
                        """), dep + "spec.template.spec.restartPolicy: Unsupported value: \"Never\": supported values: \"Always\""),
                new Case("deployment selector with bad operator", deployment("""
                          selector: {matchExpressions: [{key: app, operator: Equals, values: [web]}]}
                          template:
                            metadata: {labels: {app: web}}
                            spec: {containers: [{name: app, image: nginx}]}
                        """), dep + "spec.selector.matchExpressions[0].operator: Invalid value: \"Equals\": not a valid selector operator"));
    }

    private static String searches(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append("d").append(i).append(".local");
        }
        return sb.toString();
    }

    private static String quoted(int n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ", ").append("\"d").append(i).append(".local\"");
        }
        return sb.toString();
    }

    /** RelaxedDNSSearchValidation's message: labels may start and end with '_'. */
    private static final String UNDERSCORE_SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case "
            + "alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character or '_' "
            + "(e.g. 'example.com', regex used for validation is '[a-z0-9_]([-a-z0-9_]*[a-z0-9_])?(\\.[a-z0-9_]"
            + "([-a-z0-9_]*[a-z0-9_])?)*')";

    @org.junit.jupiter.api.Test
    void searchPathsMayBeASingleDotOrHoldUnderscores() {
        try (var store = AdmissionFixture.store()) {
            store.commit(AdmissionFixture.creates(AdmissionFixture.parse(pod(APP
                    + "  dnsConfig: {searches: ['.', _sip._tcp.abc_d.example.com, fq.example.com.]}\n"))));

            assertThat(store.get(dev.knet.model.ResourceKinds.POD, "default", "web-1")).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsInvalidWorkload(Case c) {
        assertThat(AdmissionFixture.rejection(c.yaml()).getMessage()).isEqualTo(c.expected());
    }
}
