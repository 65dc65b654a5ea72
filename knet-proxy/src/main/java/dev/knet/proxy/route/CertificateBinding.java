package dev.knet.proxy.route;

/** A TLS host (or any host, as the default certificate) served with a kubernetes.io/tls Secret. */
public record CertificateBinding(HostPattern host, String secretNamespace, String secretName) {

    public String secretKey() {
        return secretNamespace + "/" + secretName;
    }
}
