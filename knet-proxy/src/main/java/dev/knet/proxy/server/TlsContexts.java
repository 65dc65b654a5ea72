package dev.knet.proxy.server;

import dev.knet.proxy.route.CertificateBinding;
import dev.knet.proxy.route.HostPattern;
import io.fabric8.kubernetes.api.model.Secret;
import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.netty.util.Mapping;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * SNI name -> server SslContext, from kubernetes.io/tls Secrets (PEM tls.crt and tls.key). Exact
 * names first, then the longest wildcard, then the default (a binding without host, else the
 * first certificate). Replaced whole on each route update; contexts are reused while a Secret's
 * content is unchanged.
 */
final class TlsContexts implements Mapping<String, SslContext> {

    private static final Logger LOG = LoggerFactory.getLogger(TlsContexts.class);

    private record Snapshot(Map<HostPattern, SslContext> byHost, SslContext fallback) {
    }

    private volatile Snapshot snapshot = new Snapshot(Map.of(), null);
    private Map<String, SslContext> bySecretContent = new HashMap<>();

    /** Rebuilds the mapping; a Secret that is missing or unreadable is logged and its hosts left out. */
    synchronized void update(List<CertificateBinding> bindings, List<Secret> secrets) {
        Map<String, Secret> secretsByKey = new HashMap<>();
        for (Secret s : secrets) {
            String ns = s.getMetadata().getNamespace() == null ? "default" : s.getMetadata().getNamespace();
            secretsByKey.put(ns + "/" + s.getMetadata().getName(), s);
        }
        Map<String, SslContext> reused = new HashMap<>();
        Map<HostPattern, SslContext> byHost = new LinkedHashMap<>();
        SslContext fallback = null;
        SslContext first = null;
        for (CertificateBinding binding : bindings) {
            Secret secret = secretsByKey.get(binding.secretKey());
            if (secret == null) {
                LOG.warn("TLS secret {} for host {} not found", binding.secretKey(), binding.host());
                continue;
            }
            SslContext context;
            try {
                byte[] cert = value(secret, "tls.crt");
                byte[] key = value(secret, "tls.key");
                String contentKey = binding.secretKey() + "#" + java.util.Arrays.hashCode(cert) + "#" + java.util.Arrays.hashCode(key);
                context = reused.get(contentKey);
                if (context == null) {
                    context = bySecretContent.get(contentKey);
                }
                if (context == null) {
                    context = serverContext(cert, key);
                }
                reused.put(contentKey, context);
            } catch (Exception e) {
                LOG.warn("TLS secret {} is not a usable kubernetes.io/tls secret: {}", binding.secretKey(), e.toString());
                continue;
            }
            if (binding.host().isAny()) {
                fallback = fallback == null ? context : fallback;
            } else {
                byHost.putIfAbsent(binding.host(), context);
            }
            first = first == null ? context : first;
        }
        bySecretContent = reused;
        snapshot = new Snapshot(Map.copyOf(byHost), fallback != null ? fallback : first);
    }

    boolean isEmpty() {
        return snapshot.fallback() == null;
    }

    @Override
    public SslContext map(String serverName) {
        Snapshot s = snapshot;
        if (serverName == null) {
            return s.fallback();
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        SslContext exact = s.byHost().get(HostPattern.of(name));
        if (exact != null) {
            return exact;
        }
        List<Map.Entry<HostPattern, SslContext>> wildcards = new ArrayList<>();
        for (Map.Entry<HostPattern, SslContext> e : s.byHost().entrySet()) {
            if (e.getKey().isWildcard() && e.getKey().matches(name, HostPattern.WildcardScope.ANY_LABELS)) {
                wildcards.add(e);
            }
        }
        return wildcards.stream()
                .min(java.util.Comparator.comparingInt(e -> e.getKey().specificityRank()))
                .map(Map.Entry::getValue)
                .orElse(s.fallback());
    }

    private static byte[] value(Secret secret, String key) {
        if (secret.getStringData() != null && secret.getStringData().containsKey(key)) {
            return secret.getStringData().get(key).getBytes(StandardCharsets.UTF_8);
        }
        if (secret.getData() != null && secret.getData().containsKey(key)) {
            return Base64.getMimeDecoder().decode(secret.getData().get(key));
        }
        throw new IllegalArgumentException("missing " + key);
    }

    static SslContext serverContext(byte[] certPem, byte[] keyPem) throws javax.net.ssl.SSLException {
        return SslContextBuilder.forServer(new ByteArrayInputStream(certPem), new ByteArrayInputStream(keyPem))
                .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                        ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1))
                .build();
    }
}
