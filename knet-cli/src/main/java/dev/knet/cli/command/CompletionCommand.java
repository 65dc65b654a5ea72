package dev.knet.cli.command;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/** knet completion bash|zsh : a completion script; `source <(./knet completion bash)`. */
@Command(name = "completion", description = "Print a shell completion script (bash or zsh).")
public final class CompletionCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", defaultValue = "bash", paramLabel = "SHELL")
    String shell;

    @Override
    public Integer call() {
        if (!shell.equals("bash") && !shell.equals("zsh")) {
            throw new IllegalArgumentException("unsupported shell \"" + shell + "\": bash or zsh");
        }
        CommandLine root = spec.commandLine().getParent();
        System.out.print(AutoComplete.bash("knet", root));
        return 0;
    }
}
