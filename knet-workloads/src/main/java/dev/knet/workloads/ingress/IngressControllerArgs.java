package dev.knet.workloads.ingress;

import java.util.List;

/**
 * The controller's flags, spelled as ingress-nginx spells its own: {@code --ingress-class=NAME},
 * {@code --http-port=N}, {@code --https-port=N}. Unknown flags are ignored so that a manifest
 * written for another controller's arguments still starts.
 */
public record IngressControllerArgs(String ingressClass, int httpPort, int httpsPort) {

    public static final IngressControllerArgs DEFAULTS = new IngressControllerArgs("knet", 80, 443);

    public IngressControllerArgs {
        if (httpPort < 1 || httpPort > 65535 || httpsPort < 1 || httpsPort > 65535) {
            throw new IllegalArgumentException("ports must be 1-65535, got " + httpPort + " and " + httpsPort);
        }
    }

    public static IngressControllerArgs parse(List<String> args) {
        IngressControllerArgs out = DEFAULTS;
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (!arg.startsWith("--") || eq < 0) {
                continue;
            }
            String value = arg.substring(eq + 1);
            out = switch (arg.substring(2, eq)) {
                case "ingress-class" -> new IngressControllerArgs(value, out.httpPort, out.httpsPort);
                case "http-port" -> new IngressControllerArgs(out.ingressClass, port(arg, value), out.httpsPort);
                case "https-port" -> new IngressControllerArgs(out.ingressClass, out.httpPort, port(arg, value));
                default -> out;
            };
        }
        return out;
    }

    private static int port(String arg, String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(arg + ": not a port number", e);
        }
    }
}
