package dev.knet.cli;

import picocli.CommandLine;

/** Mounts the command groups other modules provide (dns, policy, lab). */
final class Extensions {

    private Extensions() {
    }

    static void mount(CommandLine root) {
        // filled in as modules provide commands
    }
}
