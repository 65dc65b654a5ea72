package dev.knet.proxy.server;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.Map;

/** Self-signed certificates made with Bouncy Castle, wrapped as kubernetes.io/tls Secrets. */
public final class TestCertificates {

    public record Issued(X509Certificate certificate, String certPem, String keyPem) {
        public Secret secret(String namespace, String name) {
            Base64.Encoder b64 = Base64.getEncoder();
            return new SecretBuilder().withNewMetadata().withNamespace(namespace).withName(name).endMetadata()
                    .withType("kubernetes.io/tls")
                    .withData(Map.of("tls.crt", b64.encodeToString(certPem.getBytes(StandardCharsets.US_ASCII)),
                            "tls.key", b64.encodeToString(keyPem.getBytes(StandardCharsets.US_ASCII))))
                    .build();
        }
    }

    private TestCertificates() {
    }

    public static Issued selfSigned(String dnsName) throws Exception {
        // EC keys: generated in milliseconds, where RSA-2048 takes seconds on a busy machine
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name subject = new X500Name("CN=" + dnsName);
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))), subject, keys.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, dnsName)));
        X509CertificateHolder holder = builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(holder);
        return new Issued(certificate, pem("CERTIFICATE", certificate.getEncoded()),
                pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
