package dev.knet.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a command inside a namespace ({@code ip netns exec}) and returns its exit code and output. */
final class NetnsExec {

    record Result(int code, String out) {
        boolean ok() {
            return code == 0;
        }
    }

    private NetnsExec() {
    }

    static Result run(String netns, String... argv) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", netns));
        cmd.addAll(List.of(argv));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, out);
            }
            return new Result(p.exitValue(), out);
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }

    static boolean ping(String netns, String ip) {
        return run(netns, "ping", "-c", "1", "-W", "2", ip).ok();
    }

    /** An HTTP GET from inside {@code netns}; the body, or the failure as text. */
    static String get(String netns, String url) {
        return run(netns, "curl", "-s", "-m", "5", url).out().strip();
    }
}
