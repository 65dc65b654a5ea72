package dev.knet.dns.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code knet dns}: the cluster DNS server on its own. */
@Command(name = "dns", description = "Cluster DNS (the Kubernetes DNS specification)",
        mixinStandardHelpOptions = true, subcommands = {ServeCommand.class})
public final class DnsCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing subcommand (serve)");
    }
}
