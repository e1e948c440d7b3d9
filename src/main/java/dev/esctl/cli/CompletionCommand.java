package dev.esctl.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "completion",
        description = {"Print a shell completion script (bash or zsh), generated from the commands themselves.",
                "Stream names complete from a running daemon (ESCTL_SERVER, or http://127.0.0.1:7171) when one answers."},
        footerHeading = "%nExamples:%n",
        footer = {
                "  source <(esctl completion bash)                       # in ~/.bashrc",
                "  esctl completion zsh > \"$${fpath[1]}/_esctl\"           # zsh",
                "  esctl completion bash > /etc/bash_completion.d/esctl"})
final class CompletionCommand implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SHELL", description = "bash or zsh.")
    String shell;

    @Override
    public Integer call() {
        System.out.print(script(shell, spec.root().commandLine()));
        return ExitCodes.OK;
    }

    static String script(String shell, CommandLine root) {
        String bash = AutoComplete.bash("esctl", root) + StreamCompletion.BASH;
        return switch (shell) {
            case "bash" -> bash;
            case "zsh" -> "#compdef esctl\n# esctl completion for zsh: the bash completion, through zsh's bashcompinit.\n"
                    + "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n" + bash;
            default -> throw new IllegalArgumentException("no completion for shell '" + shell + "': use bash or zsh");
        };
    }
}
