package dev.knet.store.validation;

import io.fabric8.kubernetes.api.model.IntOrString;

import java.util.List;

/** Port numbers, named ports and protocols: the rules shared by Services, Pods, policies and slices. */
public final class Ports {

    /** Kubernetes lists these sorted where it checks a Service or container port. */
    public static final List<String> PROTOCOLS = List.of("SCTP", "TCP", "UDP");

    private Ports() {
    }

    /** A port given as number or IANA name (targetPort, probe ports). */
    public static void numberOrName(IntOrString port, FieldPath path, FieldErrors errs) {
        if (port == null) {
            errs.required(path);
            return;
        }
        if (port.getValue() instanceof String name) {
            errs.invalidEach(path, name, Names.portName(name));
        } else if (port.getIntVal() != null) {
            errs.invalidEach(path, port.getIntVal(), Names.portNumber(port.getIntVal()));
        } else {
            errs.required(path);
        }
    }

    /** A protocol that must be set and one of SCTP, TCP, UDP. */
    public static void protocol(String protocol, FieldPath path, FieldErrors errs) {
        if (protocol == null || protocol.isEmpty()) {
            errs.required(path);
        } else if (!PROTOCOLS.contains(protocol)) {
            errs.notSupported(path, protocol, PROTOCOLS);
        }
    }

    /** The numeric value of an IntOrString, or null when it is a name or unset. */
    static Integer number(IntOrString port) {
        return port != null && port.getValue() instanceof Integer n ? n : null;
    }

    /** True when an IntOrString holds nothing usable (absent, zero, or an empty name). */
    static boolean isUnset(IntOrString port) {
        if (port == null || port.getValue() == null) {
            return true;
        }
        return port.getValue() instanceof Integer n ? n == 0 : port.getValue().toString().isEmpty();
    }
}
