package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.ServicePort;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Service ports: names, numbers, protocols, targetPorts, nodePorts and duplicates. */
final class ServicePortValidator {

    private ServicePortValidator() {
    }

    static void validate(List<ServicePort> ports, String type, FieldPath portsPath, FieldErrors errs) {
        boolean requireName = ports.size() > 1;
        Set<String> names = new HashSet<>();
        Set<String> portProtocols = new HashSet<>();
        Set<String> nodePorts = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort sp = ports.get(i);
            FieldPath path = portsPath.index(i);
            String name = sp.getName() == null ? "" : sp.getName();
            if (requireName && name.isEmpty()) {
                errs.required(path.child("name"));
            } else if (!name.isEmpty()) {
                errs.invalidEach(path.child("name"), name, Names.dns1123Label(name));
                if (!names.add(name)) {
                    errs.duplicate(path.child("name"), name);
                }
            }
            int port = sp.getPort() == null ? 0 : sp.getPort();
            errs.invalidEach(path.child("port"), port, Names.portNumber(port));
            Ports.protocol(sp.getProtocol(), path.child("protocol"), errs);
            Ports.numberOrName(sp.getTargetPort(), path.child("targetPort"), errs);
            if (sp.getAppProtocol() != null) {
                errs.invalidEach(path.child("appProtocol"), sp.getAppProtocol(),
                        Names.qualifiedName(sp.getAppProtocol()));
            }
            // Kubernetes keys duplicates by (port, protocol): TCP 53 and UDP 53 may coexist.
            if (!portProtocols.add(port + "/" + sp.getProtocol())) {
                errs.duplicate(path, port + "/" + sp.getProtocol());
            }
            nodePort(sp, type, path, nodePorts, errs);
        }
    }

    private static void nodePort(ServicePort sp, String type, FieldPath path, Set<String> seen, FieldErrors errs) {
        int nodePort = sp.getNodePort() == null ? 0 : sp.getNodePort();
        if (nodePort == 0) {
            return;
        }
        FieldPath p = path.child("nodePort");
        if ("ClusterIP".equals(type) || "ExternalName".equals(type)) {
            errs.forbidden(p, "may not be used when `type` is '" + type + "'");
            return;
        }
        errs.invalidEach(p, nodePort, Names.portNumber(nodePort));
        if (!seen.add(nodePort + "/" + sp.getProtocol())) {
            errs.duplicate(p, nodePort);
        }
    }
}
