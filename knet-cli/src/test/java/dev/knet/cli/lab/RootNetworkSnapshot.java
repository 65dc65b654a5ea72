package dev.knet.cli.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The root namespace's links, addresses, routes and nft ruleset, read with read-only commands.
 * Counters that tick by themselves (address lifetimes, route expiry) are cut out.
 */
record RootNetworkSnapshot(String links, String addresses, String routes, String ruleset) {

    static RootNetworkSnapshot take() throws IOException, InterruptedException {
        return new RootNetworkSnapshot(
                run(List.of("ip", "-o", "link")),
                run(List.of("ip", "-o", "addr")).replaceAll("(valid|preferred)_lft \\S+", ""),
                run(List.of("ip", "route", "show", "table", "all")).replaceAll("expires \\S+", ""),
                run(List.of("nft", "list", "ruleset")));
    }

    private static String run(List<String> argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(argv + " failed: " + out);
        }
        return out;
    }
}
