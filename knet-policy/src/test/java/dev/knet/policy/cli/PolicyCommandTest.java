package dev.knet.policy.cli;

import dev.knet.model.Manifests;
import io.fabric8.kubernetes.api.model.HasMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PolicyCommandTest {

    static final String MANIFESTS = """
            apiVersion: v1
            kind: Pod
            metadata: {name: a, namespace: x, labels: {pod: a}}
            spec: {containers: [{name: c, image: i}]}
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: b, namespace: x, labels: {pod: b}}
            spec: {containers: [{name: c, image: i}]}
            ---
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata: {name: b-from-nobody, namespace: x}
            spec: {podSelector: {matchLabels: {pod: b}}}
            """;

    record Run(int exit, String out, String err) {
    }

    static Run run(PolicyCommand command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(command);
        cli.setOut(new PrintWriter(out)).setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void checkOfflineDenied(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("app.yaml"), MANIFESTS);
        Run r = run(new PolicyCommand(), "check", "x/a", "x/b:80/TCP", "-f", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("DENIED x/a -> x/b TCP/80",
                "x/b is isolated for ingress by x/b-from-nobody, and no rule allows x/a on TCP/80");
    }

    @Test
    void checkLiveUsesTheSupplier() {
        List<HasMetadata> live = Manifests.parse(MANIFESTS.replace("spec: {podSelector: {matchLabels: {pod: b}}}",
                "spec: {podSelector: {matchLabels: {pod: nobody}}}"), "live");
        Run r = run(new PolicyCommand(() -> live), "check", "x/a", "x/b:8080");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("ALLOWED x/a -> x/b TCP/8080");
    }

    @Test
    void checkWithoutSourceExplains() {
        Run r = run(new PolicyCommand(), "check", "x/a", "x/b");
        assertThat(r.exit()).isNotZero();
        assertThat(r.err()).contains("give manifests with -f DIR");
    }

    @Test
    void matrixTableAndJson(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("app.yaml"), MANIFESTS);
        Run table = run(new PolicyCommand(), "matrix", "-f", dir.toString(), "--ports", "80,81");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.out()).isEqualTo("""
                TCP/80:
                from\\to x/a  x/b
                x/a      ~    X
                x/b      .    ~

                TCP/81:
                from\\to x/a  x/b
                x/a      ~    X
                x/b      .    ~
                """);
        Run json = run(new PolicyCommand(), "matrix", "-f", dir.toString(), "-o", "json", "--protocols", "UDP");
        assertThat(json.out()).contains("{\"from\":\"x/a\",\"to\":\"x/b\",\"port\":80,\"protocol\":\"UDP\",\"allowed\":false,"
                + "\"reason\":\"denied: x/b is isolated for ingress by x/b-from-nobody, and no rule allows x/a on UDP/80\"}");
    }
}
