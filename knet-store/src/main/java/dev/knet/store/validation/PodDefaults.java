package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;

import java.util.ArrayList;
import java.util.List;

/** Pod spec defaults, for Pods and for workload templates alike. */
final class PodDefaults {

    /** Seconds a pod gets between SIGTERM and SIGKILL unless it says otherwise. */
    static final long DEFAULT_GRACE_SECONDS = 30;

    private PodDefaults() {
    }

    static void apply(PodSpec spec) {
        if (spec == null) {
            return;
        }
        if (spec.getRestartPolicy() == null || spec.getRestartPolicy().isEmpty()) {
            spec.setRestartPolicy("Always");
        }
        if (spec.getDnsPolicy() == null || spec.getDnsPolicy().isEmpty()) {
            spec.setDnsPolicy("ClusterFirst");
        }
        if (spec.getTerminationGracePeriodSeconds() == null) {
            spec.setTerminationGracePeriodSeconds(DEFAULT_GRACE_SECONDS);
        }
        List<Container> all = new ArrayList<>();
        if (spec.getContainers() != null) {
            all.addAll(spec.getContainers());
        }
        if (spec.getInitContainers() != null) {
            all.addAll(spec.getInitContainers());
        }
        for (Container c : all) {
            container(c);
        }
    }

    private static void container(Container c) {
        for (ContainerPort port : c.getPorts() == null ? List.<ContainerPort>of() : c.getPorts()) {
            if (port.getProtocol() == null || port.getProtocol().isEmpty()) {
                port.setProtocol("TCP");
            }
        }
        if (c.getImagePullPolicy() == null || c.getImagePullPolicy().isEmpty()) {
            c.setImagePullPolicy(latest(c.getImage() == null ? "" : c.getImage()) ? "Always" : "IfNotPresent");
        }
        probe(c.getLivenessProbe());
        probe(c.getReadinessProbe());
        probe(c.getStartupProbe());
    }

    /** An image without tag or digest means :latest, which Kubernetes always pulls. */
    private static boolean latest(String image) {
        if (image.contains("@")) {
            return false;
        }
        String last = image.substring(image.lastIndexOf('/') + 1);
        int colon = last.indexOf(':');
        return colon < 0 || last.substring(colon + 1).equals("latest");
    }

    private static void probe(Probe p) {
        if (p == null) {
            return;
        }
        if (p.getTimeoutSeconds() == null) {
            p.setTimeoutSeconds(1);
        }
        if (p.getPeriodSeconds() == null) {
            p.setPeriodSeconds(10);
        }
        if (p.getSuccessThreshold() == null) {
            p.setSuccessThreshold(1);
        }
        if (p.getFailureThreshold() == null) {
            p.setFailureThreshold(3);
        }
        if (p.getHttpGet() != null) {
            if (p.getHttpGet().getPath() == null || p.getHttpGet().getPath().isEmpty()) {
                p.getHttpGet().setPath("/");
            }
            if (p.getHttpGet().getScheme() == null || p.getHttpGet().getScheme().isEmpty()) {
                p.getHttpGet().setScheme("HTTP");
            }
        }
    }
}
