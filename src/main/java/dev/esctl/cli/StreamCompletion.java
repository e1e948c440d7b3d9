package dev.esctl.cli;

/**
 * The part of the completion script that completes stream names: for commands that take a
 * STREAM, the word being completed is looked up with {@code esctl streams PREFIX} against the
 * daemon (quietly, with a short timeout); no daemon, no stream names, nothing printed.
 */
final class StreamCompletion {
    private StreamCompletion() {}

    static final String BASH = """

            # Stream names from a running daemon, for the commands that take a STREAM.
            _esctl_streams() {
              local cur=${COMP_WORDS[COMP_CWORD]}
              command -v esctl >/dev/null 2>&1 || return 0
              local names
              names=$(timeout 2 esctl streams "$cur" 2>/dev/null | sed -n 's/^{"stream":"\\([^"]*\\)".*/\\1/p')
              [ -n "$names" ] && COMPREPLY+=( $(compgen -W "$names" -- "$cur") )
            }
            _esctl_with_streams() {
              _complete_esctl "$@"
              local i sub=""
              for ((i = 1; i < COMP_CWORD; i++)); do
                case ${COMP_WORDS[i]} in append|read|watch|streams) sub=${COMP_WORDS[i]}; break ;; esac
              done
              local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD-1]}
              if [ -n "$sub" ] && [[ $cur != -* ]] && [[ $prev != --* ]]; then _esctl_streams; fi
            }
            complete -F _esctl_with_streams -o default esctl
            """;
}
