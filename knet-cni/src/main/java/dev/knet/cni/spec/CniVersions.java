package dev.knet.cni.spec;

import java.util.List;

/** Spec versions knet speaks. Results of 0.4.0 and 1.x share one shape, which is why 0.3.x is left out. */
public final class CniVersions {

    public static final String CURRENT = "1.1.0";
    public static final List<String> SUPPORTED = List.of("0.4.0", "1.0.0", "1.1.0");

    private CniVersions() {
    }

    public static boolean supported(String version) {
        return SUPPORTED.contains(version);
    }

    /** Compares dotted versions numerically; "0.4.0" &lt; "1.0.0" &lt; "1.1.0". */
    public static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int xi = i < x.length ? Integer.parseInt(x[i]) : 0;
            int yi = i < y.length ? Integer.parseInt(y[i]) : 0;
            if (xi != yi) {
                return Integer.compare(xi, yi);
            }
        }
        return 0;
    }

    public static boolean atLeast(String version, String minimum) {
        return compare(version, minimum) >= 0;
    }
}
