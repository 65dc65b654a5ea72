package dev.knet.cli.cluster;

import dev.knet.cli.CliException;
import dev.knet.model.KnetJson;
import dev.knet.model.Manifests;
import dev.knet.model.ResourceKind;
import io.fabric8.kubernetes.api.model.HasMetadata;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The CLI's view of a running lab daemon, over its Kubernetes-shaped REST API on loopback. */
public final class RestClusterClient implements ClusterClient {

    private final String base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public RestClusterClient(String baseUrl) {
        this.base = baseUrl;
    }

    @Override
    public List<Applied> apply(List<HasMetadata> objects) {
        List<ApplyOutcome> outcomes = new ArrayList<>();
        for (HasMetadata o : objects) {
            ResourceKind<?> kind = dev.knet.model.ResourceKinds.of(o).orElseThrow(() -> new CliException(
                    "no kind \"" + o.getKind() + "\" is registered for version \"" + o.getApiVersion() + "\""));
            String ns = o.getMetadata().getNamespace() == null ? "default" : o.getMetadata().getNamespace();
            Optional<? extends HasMetadata> existing = o.getMetadata().getName() == null ? Optional.empty()
                    : get(kind, kind.namespaced() ? ns : null, o.getMetadata().getName());
            outcomes.add(existing.isEmpty() ? ApplyOutcome.CREATED
                    : ApplyPlan.unchanged(o, existing.get()) ? ApplyOutcome.UNCHANGED : ApplyOutcome.CONFIGURED);
        }
        String body = KnetJson.toJson(Map.of("apiVersion", "v1", "kind", "List", "items", objects));
        String response = send(HttpRequest.newBuilder(URI.create(base + "/apis/knet.dev/v1/apply"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)), 200);
        List<HasMetadata> stored = Manifests.parse(response, "daemon response");
        List<Applied> result = new ArrayList<>();
        for (int i = 0; i < objects.size(); i++) {
            result.add(new Applied(i < stored.size() ? stored.get(i) : objects.get(i), outcomes.get(i)));
        }
        return result;
    }

    @Override
    public <T extends HasMetadata> List<T> list(ResourceKind<T> kind, String namespace, String labelSelector) {
        String url = base + kind.collectionPath(namespace)
                + (labelSelector == null ? "" : "?labelSelector=" + URLEncoder.encode(labelSelector, StandardCharsets.UTF_8));
        String response = send(HttpRequest.newBuilder(URI.create(url)).GET(), 200);
        List<T> out = new ArrayList<>();
        for (HasMetadata o : Manifests.parse(response, "daemon response")) {
            out.add(kind.type().cast(o));
        }
        return out;
    }

    @Override
    public <T extends HasMetadata> Optional<T> get(ResourceKind<T> kind, String namespace, String name) {
        try {
            String response = send(HttpRequest.newBuilder(URI.create(base + kind.collectionPath(namespace) + "/" + name))
                    .GET(), 200);
            return Optional.of(KnetJson.fromJson(response, kind.type()));
        } catch (StatusErrors.RemoteNotFound e) {
            return Optional.empty();
        }
    }

    @Override
    public boolean delete(ResourceKind<?> kind, String namespace, String name) {
        try {
            send(HttpRequest.newBuilder(URI.create(base + kind.collectionPath(namespace) + "/" + name)).DELETE(), 200);
        } catch (StatusErrors.RemoteNotFound e) {
            return false;
        }
        send(HttpRequest.newBuilder(URI.create(base + "/apis/knet.dev/v1/settle")).GET(), 200);
        return true;
    }

    /** Sends a request; maps a Kubernetes Status failure back to the store's typed exception. */
    private String send(HttpRequest.Builder request, int expected) {
        HttpResponse<String> response;
        try {
            response = http.send(request.timeout(Duration.ofSeconds(120)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new CliException("cannot reach the lab daemon at " + base + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
        if (response.statusCode() == expected || response.statusCode() == 201) {
            return response.body();
        }
        throw StatusErrors.toException(response.statusCode(), response.body());
    }

    @Override
    public void close() {
        http.close();
    }
}
