package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Probe;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** One container: name, image, pull policy, ports and probes. */
final class ContainerValidator {

    static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    static final List<String> HTTP_SCHEMES = List.of("HTTP", "HTTPS");

    private ContainerValidator() {
    }

    static void validate(Container c, FieldPath path, Set<String> names, FieldErrors errs) {
        String name = c.getName() == null ? "" : c.getName();
        if (name.isEmpty()) {
            errs.required(path.child("name"));
        } else {
            errs.invalidEach(path.child("name"), name, Names.dns1123Label(name));
            if (!names.add(name)) {
                errs.duplicate(path.child("name"), name);
            }
        }
        String image = c.getImage() == null ? "" : c.getImage();
        if (image.isEmpty()) {
            errs.required(path.child("image"));
        } else if (!image.equals(image.strip())) {
            errs.invalid(path.child("image"), image, "must not have leading or trailing whitespace");
        }
        String pull = c.getImagePullPolicy() == null ? "" : c.getImagePullPolicy();
        if (pull.isEmpty()) {
            errs.required(path.child("imagePullPolicy"));
        } else if (!PULL_POLICIES.contains(pull)) {
            errs.notSupported(path.child("imagePullPolicy"), pull, PULL_POLICIES);
        }
        ports(c.getPorts() == null ? List.of() : c.getPorts(), path.child("ports"), errs);
        probe(c.getLivenessProbe(), path.child("livenessProbe"), errs);
        probe(c.getReadinessProbe(), path.child("readinessProbe"), errs);
        probe(c.getStartupProbe(), path.child("startupProbe"), errs);
    }

    private static void ports(List<ContainerPort> ports, FieldPath path, FieldErrors errs) {
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ContainerPort p = ports.get(i);
            FieldPath idx = path.index(i);
            String name = p.getName() == null ? "" : p.getName();
            if (!name.isEmpty()) {
                List<String> msgs = Names.portName(name);
                if (!msgs.isEmpty()) {
                    errs.invalidEach(idx.child("name"), name, msgs);
                } else if (!names.add(name)) {
                    errs.duplicate(idx.child("name"), name);
                }
            }
            int port = p.getContainerPort() == null ? 0 : p.getContainerPort();
            if (port == 0) {
                errs.required(idx.child("containerPort"));
            } else {
                errs.invalidEach(idx.child("containerPort"), port, Names.portNumber(port));
            }
            if (p.getHostPort() != null && p.getHostPort() != 0) {
                errs.invalidEach(idx.child("hostPort"), p.getHostPort(), Names.portNumber(p.getHostPort()));
            }
            if (p.getHostIP() != null && !p.getHostIP().isEmpty() && !Names.isIp(p.getHostIP())) {
                errs.invalid(idx.child("hostIP"), p.getHostIP(), Names.IP_MSG);
            }
            Ports.protocol(p.getProtocol(), idx.child("protocol"), errs);
        }
    }

    /** Exactly one handler; every extra one is refused at its own path, as Kubernetes does. */
    private static void probe(Probe probe, FieldPath path, FieldErrors errs) {
        if (probe == null) {
            return;
        }
        int handlers = 0;
        if (probe.getExec() != null) {
            handlers++;
            if (probe.getExec().getCommand() == null || probe.getExec().getCommand().isEmpty()) {
                errs.required(path.child("exec").child("command"));
            }
        }
        if (probe.getHttpGet() != null) {
            if (handlers++ > 0) {
                errs.forbidden(path.child("httpGet"), "may not specify more than 1 handler type");
            } else {
                httpGet(probe.getHttpGet(), path.child("httpGet"), errs);
            }
        }
        if (probe.getTcpSocket() != null) {
            if (handlers++ > 0) {
                errs.forbidden(path.child("tcpSocket"), "may not specify more than 1 handler type");
            } else {
                Ports.numberOrName(probe.getTcpSocket().getPort(), path.child("tcpSocket").child("port"), errs);
            }
        }
        if (probe.getGrpc() != null) {
            if (handlers++ > 0) {
                errs.forbidden(path.child("grpc"), "may not specify more than 1 handler type");
            } else {
                int port = probe.getGrpc().getPort() == null ? 0 : probe.getGrpc().getPort();
                errs.invalidEach(path.child("grpc").child("port"), port, Names.portNumber(port));
            }
        }
        if (handlers == 0) {
            errs.required(path, "must specify a handler type");
        }
        nonNegative(probe.getInitialDelaySeconds(), path.child("initialDelaySeconds"), errs);
        nonNegative(probe.getTimeoutSeconds(), path.child("timeoutSeconds"), errs);
        nonNegative(probe.getPeriodSeconds(), path.child("periodSeconds"), errs);
        nonNegative(probe.getSuccessThreshold(), path.child("successThreshold"), errs);
        nonNegative(probe.getFailureThreshold(), path.child("failureThreshold"), errs);
    }

    private static void httpGet(HTTPGetAction get, FieldPath path, FieldErrors errs) {
        if (get.getPath() == null || get.getPath().isEmpty()) {
            errs.required(path.child("path"));
        }
        Ports.numberOrName(get.getPort(), path.child("port"), errs);
        String scheme = get.getScheme() == null ? "" : get.getScheme();
        if (!HTTP_SCHEMES.contains(scheme)) {
            errs.notSupported(path.child("scheme"), scheme, HTTP_SCHEMES);
        }
    }

    static void nonNegative(Number value, FieldPath path, FieldErrors errs) {
        if (value != null && value.longValue() < 0) {
            errs.invalid(path, value, Names.NEGATIVE_MSG);
        }
    }
}
