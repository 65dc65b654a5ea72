package dev.knet.proxy.route;

/** The scheme a request arrived with: plain listeners serve HTTP, TLS listeners HTTPS. */
public enum Scheme {
    HTTP("http", 80),
    HTTPS("https", 443);

    private final String text;
    private final int defaultPort;

    Scheme(String text, int defaultPort) {
        this.text = text;
        this.defaultPort = defaultPort;
    }

    public String text() {
        return text;
    }

    public int defaultPort() {
        return defaultPort;
    }

    public static Scheme parse(String text) {
        return switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "http" -> HTTP;
            case "https" -> HTTPS;
            default -> throw new IllegalArgumentException("unknown scheme: " + text);
        };
    }
}
