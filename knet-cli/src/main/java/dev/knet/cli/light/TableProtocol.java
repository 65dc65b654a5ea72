package dev.knet.cli.light;

/**
 * The lab daemon's rendered-table endpoint, as the light client and the daemon both speak it.
 *
 * <p>Request: {@code GET <tablesUrl>?kind=WORD[&namespace=NS][&all=true]}, the words exactly as the user typed
 * them after {@code knet get}, so the daemon resolves them the way the full CLI would. Reply: 200 with
 * {@value #OUTPUT_HEADER} {@code stdout} or {@code stderr} and the exact text `knet get` prints there (the
 * table, or "No resources found ..."); anything else means "ask the full CLI", which then says what is wrong.
 */
public final class TableProtocol {

    /** Where the daemon serves the tables, below its own loopback address. */
    public static final String PATH = "/knet/tables";
    public static final String OUTPUT_HEADER = "Knet-Output";
    public static final String STDOUT = "stdout";
    public static final String STDERR = "stderr";

    private TableProtocol() {
    }

    /** The query string of a request (without '?'): values percent-encoded as UTF-8. */
    public static String query(String kind, String namespace, boolean allNamespaces) {
        StringBuilder q = new StringBuilder("kind=").append(encode(kind));
        if (namespace != null) {
            q.append("&namespace=").append(encode(namespace));
        }
        if (allNamespaces) {
            q.append("&all=true");
        }
        return q.toString();
    }

    /** Percent-encodes everything but RFC 3986's unreserved characters; no java.net.URLEncoder to load. */
    static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
