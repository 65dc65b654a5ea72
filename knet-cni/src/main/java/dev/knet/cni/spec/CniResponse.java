package dev.knet.cni.spec;

import java.nio.charset.StandardCharsets;

/** What a plugin process produces: its stdout and its exit code (0 = success). */
public record CniResponse(int exitCode, byte[] stdout) {

    public CniResponse {
        stdout = stdout.clone();
    }

    public static CniResponse success(String json) {
        return new CniResponse(0, json.getBytes(StandardCharsets.UTF_8));
    }

    public static CniResponse empty() {
        return new CniResponse(0, new byte[0]);
    }

    public static CniResponse failure(CniError error) {
        return new CniResponse(1, CniJson.write(error).getBytes(StandardCharsets.UTF_8));
    }

    public String stdoutText() {
        return new String(stdout, StandardCharsets.UTF_8);
    }
}
