package dev.knet.store.validation;

import dev.knet.model.ResourceKinds;
import dev.knet.store.ApiException;
import dev.knet.store.DefaultApiStore;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class UpdateValidationTest {

    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: web}
            spec: {clusterIP: 10.96.0.20, ports: [{port: 80}]}
            """;

    private static Service create(DefaultApiStore store) {
        return (Service) store.create(AdmissionFixture.parse(SERVICE).getFirst());
    }

    @Test
    void changingTheClusterIPIsRefused() {
        try (DefaultApiStore store = AdmissionFixture.store()) {
            Service svc = create(store);
            long version = store.resourceVersion();
            svc.getSpec().setClusterIP("10.96.0.21");
            svc.getSpec().setClusterIPs(null);

            var e = catchThrowableOfType(ApiException.Invalid.class, () -> store.update(svc));

            assertThat(e.getMessage()).isEqualTo(
                    "Service default/web is invalid: spec.clusterIP: Invalid value: \"10.96.0.21\": field is immutable");
            assertThat(store.resourceVersion()).isEqualTo(version);
            assertThat(store.get(ResourceKinds.SERVICE, "default", "web").orElseThrow().getSpec().getClusterIP())
                    .isEqualTo("10.96.0.20");
        }
    }

    @Test
    void anEmptyClusterIPOnUpdateIsAccepted() {
        try (DefaultApiStore store = AdmissionFixture.store()) {
            Service svc = create(store);
            svc.getSpec().setClusterIP(null);
            svc.getSpec().setClusterIPs(null);
            svc.getSpec().getPorts().getFirst().setPort(8080);
            svc.getSpec().getPorts().getFirst().setTargetPort(null);

            Service updated = store.update(svc);

            assertThat(updated.getSpec().getPorts().getFirst().getTargetPort().getIntVal()).isEqualTo(8080);
        }
    }

    @Test
    void keepingTheClusterIPIsAccepted() {
        try (DefaultApiStore store = AdmissionFixture.store()) {
            Service svc = create(store);
            svc.getMetadata().getLabels().put("tier", "front");

            assertThat(store.update(svc).getMetadata().getLabels()).containsEntry("tier", "front");
        }
    }

    @Test
    void anInvalidUpdateIsRefusedLikeACreate() {
        try (DefaultApiStore store = AdmissionFixture.store()) {
            Service svc = create(store);
            svc.getSpec().setSessionAffinity("Sticky");

            var e = catchThrowableOfType(ApiException.Invalid.class, () -> store.update(svc));

            assertThat(e.getMessage()).isEqualTo("Service default/web is invalid: spec.sessionAffinity: "
                    + "Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"");
        }
    }

    @Test
    void deploymentSelectorIsImmutable() {
        try (DefaultApiStore store = AdmissionFixture.store()) {
            Deployment d = (Deployment) store.create(AdmissionFixture.parse("""
                    apiVersion: apps/v1
                    kind: Deployment
                    metadata: {name: web}
                    spec:
                      selector: {matchLabels: {app: web}}
                      template:
                        metadata: {labels: {app: web, v: "2"}}
                        spec: {containers: [{name: app, image: nginx}]}
                    """).getFirst());
            d.getSpec().getSelector().getMatchLabels().put("v", "2");

            var e = catchThrowableOfType(ApiException.Invalid.class, () -> store.update(d));

            assertThat(e.getMessage()).isEqualTo("Deployment default/web is invalid: spec.selector: Invalid value: "
                    + "\"{matchLabels: map[string]string{\"app\":\"web\", \"v\":\"2\"}, matchExpressions: 0}\": field is immutable");
        }
    }

    @Test
    void statusWritesAreNotValidated() {
        try (DefaultApiStore store = AdmissionFixture.store()) {
            Service svc = create(store);
            // A status write carries the spec of the caller's copy, which the store ignores.
            svc.getSpec().setType("Bogus");
            svc.setStatus(new io.fabric8.kubernetes.api.model.ServiceStatus());

            Service written = store.updateStatus(svc);

            assertThat(written.getSpec().getType()).isEqualTo("ClusterIP");
        }
    }
}
