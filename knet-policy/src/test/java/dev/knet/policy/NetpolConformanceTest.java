package dev.knet.policy;

import dev.knet.policy.matrix.MatrixRenderer;
import dev.knet.policy.matrix.MatrixRow;
import dev.knet.policy.matrix.PolicyMatrix;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every upstream e2e NetworkPolicy case, steps in order. Each probe's truth table must come out
 * three ways: per flow through the Service ClusterIP (policy after DNAT), from a freshly computed
 * PolicyMatrix, and from a PolicyMatrix updated incrementally policy by policy.
 */
class NetpolConformanceTest {

    static List<String> cases() {
        return NetpolCase.ids();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    @SuppressWarnings("unchecked")
    void reproducesTruthTables(String id) {
        NetpolCase testCase = NetpolCase.load(id);
        NetpolCluster cluster = new NetpolCluster(testCase);
        PolicyMatrix incremental = null;
        int probe = 0;
        for (Map<String, Object> step : testCase.steps()) {
            String action = (String) step.get("action");
            if (!action.equals("probe")) {
                cluster.apply(step);
                incremental = updateIncrementally(incremental, cluster, step, action);
                continue;
            }
            probe++;
            int port = ((Number) step.get("port")).intValue();
            Protocol protocol = Protocol.parse((String) step.get("protocol"));
            String expected = normalise((String) ((Map<String, Object>) step.get("expect")).get("matrix"));
            List<String> pods = cluster.podKeys();
            String where = id + " probe " + probe + " " + protocol + "/" + port;

            PolicyEngine engine = PolicyEngine.of(cluster.objects());
            List<MatrixRow> viaService = new ArrayList<>();
            for (String from : pods) {
                for (String to : pods) {
                    if (!from.equals(to)) {
                        String svc = "svc/" + to.substring(0, to.indexOf('/')) + "/" + cluster.serviceName(to);
                        Verdict v = engine.check(from, svc, port, protocol);
                        assertThat(v.endpoints()).as(where).singleElement()
                                .satisfies(e -> assertThat(e.destination()).isEqualTo(to));
                        viaService.add(new MatrixRow(from, to, port, protocol, v.allowed(), v.reason()));
                    }
                }
            }
            assertThat(normalise(MatrixRenderer.table(pods, viaService, port, protocol))).as(where + " via Service")
                    .isEqualTo(expected);

            PolicyMatrix fresh = PolicyMatrix.compute(ClusterSnapshot.of(cluster.objects()), List.of(port), List.of(protocol));
            assertThat(normalise(table(fresh, pods, port, protocol))).as(where + " fresh matrix").isEqualTo(expected);
            if (incremental == null) {
                incremental = PolicyMatrix.compute(ClusterSnapshot.of(cluster.objects()), testCase.ports(),
                        testCase.protocols().stream().map(Protocol::parse).toList());
            }
            assertThat(normalise(table(incremental, pods, port, protocol))).as(where + " incremental matrix")
                    .isEqualTo(expected);
        }
        assertThat(probe).as("probes in " + id).isPositive();
    }

    /** Policy steps update the live matrix in place; label changes rebuild it at the next probe. */
    @SuppressWarnings("unchecked")
    private static PolicyMatrix updateIncrementally(PolicyMatrix matrix, NetpolCluster cluster, Map<String, Object> step,
                                                    String action) {
        if (matrix == null) {
            return null;
        }
        switch (action) {
            case "create-policy", "update-policy" -> {
                matrix.putPolicy(cluster.policy((Map<String, Object>) step.get("policy")));
                return matrix;
            }
            case "delete-all-policies" -> {
                List<String> namespaces = (List<String>) step.get("namespaces");
                matrix.index().policies().stream().map(CompiledPolicy::ref)
                        .filter(r -> namespaces.contains(r.namespace())).toList().forEach(matrix::removePolicy);
                return matrix;
            }
            default -> {
                return null;
            }
        }
    }

    private static String table(PolicyMatrix matrix, List<String> pods, int port, Protocol protocol) {
        List<MatrixRow> rows = new ArrayList<>();
        for (String from : pods) {
            for (String to : pods) {
                rows.add(new MatrixRow(from, to, port, protocol, matrix.allowed(from, to, port, protocol), ""));
            }
        }
        return MatrixRenderer.table(pods, rows, port, protocol);
    }

    private static String normalise(String table) {
        return table.lines().map(String::strip).filter(l -> !l.isEmpty())
                .map(l -> String.join(" ", Arrays.asList(l.split("\\s+"))))
                .collect(Collectors.joining("\n"));
    }

}
