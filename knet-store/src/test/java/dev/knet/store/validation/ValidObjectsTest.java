package dev.knet.store.validation;

import dev.knet.model.KnetJson;
import dev.knet.model.Manifests;
import dev.knet.model.ResourceKinds;
import dev.knet.model.net.Cidr;
import dev.knet.store.DefaultApiStore;
import dev.knet.store.Mutation;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.dataformat.yaml.YAMLMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Objects that must pass: a Bookinfo-like application and every policy of the NetworkPolicy conformance cases. */
class ValidObjectsTest {

    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{(ip|net4):([a-z]+)/([a-z]+)}}");
    private static final List<String> NETPOL_CASES = IntStream.rangeClosed(1, 48)
            .mapToObj(i -> String.format("netpol-e2e-%02d-", i)).toList();

    private static String resource(String path) {
        try (InputStream in = Objects.requireNonNull(ValidObjectsTest.class.getResourceAsStream(path), path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void bookinfoPassesOfflineValidation() {
        List<HasMetadata> objects = Manifests.parse(resource("/validation/bookinfo.yaml"), "bookinfo.yaml");

        assertThat(objects).hasSize(22);
        for (HasMetadata o : objects) {
            assertThat(Validation.validate(o)).as(o.getKind() + " " + o.getMetadata().getName()).isEmpty();
        }
    }

    @Test
    void bookinfoIsStoredInOneTransaction() {
        List<HasMetadata> objects = Manifests.parse(resource("/validation/bookinfo.yaml"), "bookinfo.yaml");
        try (DefaultApiStore store = AdmissionFixture.store()) {
            List<HasMetadata> stored = store.commit(AdmissionFixture.creates(objects));

            assertThat(stored).hasSize(objects.size());
            assertThat(store.get(ResourceKinds.DEPLOYMENT, "bookinfo", "reviews-v3")).isPresent();
            assertThat(store.get(ResourceKinds.NAMESPACE, null, "bookinfo").orElseThrow().getMetadata().getLabels())
                    .containsEntry("kubernetes.io/metadata.name", "bookinfo");
        }
    }

    /** Every policy of one conformance case, with its pod-IP templates filled with lab addresses. */
    static List<NetworkPolicy> policies(String file) {
        JsonNode root = new YAMLMapper().readTree(resource("/conformance/netpol/" + file));
        List<NetworkPolicy> out = new ArrayList<>();
        for (JsonNode step : root.path("steps")) {
            if (step.has("policy")) {
                String json = resolve(new JsonMapper().writeValueAsString(step.get("policy")));
                out.add(KnetJson.fromJson(json, NetworkPolicy.class));
            }
        }
        return out;
    }

    /** Pod ns/name gets 10.244.(ns).(pod): x/a is 10.244.1.2, z/c is 10.244.3.4. */
    private static String resolve(String json) {
        Matcher m = TEMPLATE.matcher(json);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            String ip = "10.244." + (m.group(2).charAt(0) - 'w') + "." + (m.group(3).charAt(0) - 'a' + 2);
            m.appendReplacement(sb, m.group(1).equals("ip") ? ip : Cidr.parse(ip + "/4").toString());
        }
        return m.appendTail(sb).toString();
    }

    static List<String> netpolFiles() {
        String listing = resource("/conformance/netpol/");
        List<String> files = listing.lines().filter(l -> l.endsWith(".yaml")).sorted().toList();
        assertThat(files).hasSize(NETPOL_CASES.size());
        return files;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("netpolFiles")
    void conformancePoliciesAreValidAndStored(String file) {
        List<NetworkPolicy> policies = policies(file);
        assertThat(policies).isNotEmpty();
        try (DefaultApiStore store = AdmissionFixture.store()) {
            for (String ns : List.of("x", "y", "z")) {
                store.create(new NamespaceBuilder().withNewMetadata().withName(ns).addToLabels("ns", ns).endMetadata().build());
            }
            for (NetworkPolicy p : policies) {
                assertThat(Validation.validate(p)).as(p.getMetadata().getName()).isEmpty();
                NetworkPolicy stored = (NetworkPolicy) store.commit(List.of(new Mutation.Apply(p))).getFirst();
                assertThat(stored.getSpec().getPolicyTypes()).isNotEmpty();
            }
        }
    }
}
