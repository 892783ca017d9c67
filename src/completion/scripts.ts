// The completion scripts `tspod completion SHELL` prints (and completions/ ships). Each one asks
// `tspod __complete WORDS... CURRENT` and reads back one `value<TAB>description` per line and a
// last `:DIRECTIVE` line (bits: 2 no space after the word, 4 no file names; see candidates.ts).

const BASH = String.raw`# bash completion for tspod, written by "tspod completion bash".
# Install: tspod completion bash > ~/.local/share/bash-completion/completions/tspod
# It asks "tspod __complete WORDS... CURRENT" for the candidates of the word being typed.

_tspod() {
    local line=\${COMP_LINE:0:COMP_POINT} cur='' out directive prefix='' breaks i value
    local -a words lines
    # Split the line ourselves: COMP_WORDS breaks at ':' and '=', which tspod's words contain.
    read -r -a words <<<"$line"
    if [[ -n $line && $line != *[[:space:]] && \${#words[@]} -gt 0 ]]; then
        cur=\${words[\${#words[@]}-1]}
        unset 'words[\${#words[@]}-1]'
    fi
    local cmd=\${words[0]:-tspod}
    [[ $cmd == '~/'* ]] && cmd=$HOME/\${cmd#'~/'}
    out=$("$cmd" __complete "\${words[@]:1}" "$cur" 2>/dev/null)
    mapfile -t lines <<<"$out"
    local n=\${#lines[@]}
    [[ $n -gt 0 && \${lines[n-1]} =~ ^:[0-9]+$ ]] || return 0
    directive=\${lines[n-1]#:}
    # Readline replaces only the text after the last ':' or '=' it breaks words at: drop the rest.
    breaks=\${COMP_WORDBREAKS//[!:=]/}
    [[ -n $breaks && $cur == *[$breaks]* ]] && prefix=\${cur%"\${cur##*[$breaks]}"}
    COMPREPLY=()
    for ((i = 0; i < n - 1; i++)); do
        value=\${lines[i]%%$'\t'*}
        COMPREPLY+=("\${value#"$prefix"}")
    done
    if ((directive & 2)); then compopt -o nospace 2>/dev/null; fi
    if ((\${#COMPREPLY[@]} == 0 && (directive & 4) == 0)); then compopt -o default 2>/dev/null; fi
    return 0
}
complete -F _tspod tspod
`;

const ZSH = String.raw`#compdef tspod
# zsh completion for tspod, written by "tspod completion zsh".
# Install: tspod completion zsh > "\${fpath[1]}/_tspod" (then compinit), or: source <(tspod completion zsh)
# It asks "tspod __complete WORDS... CURRENT" for the candidates of the word being typed.

_tspod() {
    local out directive line value description
    local -a lines candidates
    out=$(\${~words[1]} __complete "\${(@Q)words[2,CURRENT-1]}" "\${(Q)PREFIX}" 2>/dev/null)
    lines=("\${(@f)out}")
    directive=\${lines[-1]#:}
    [[ $directive == <-> ]] || return 1
    for line in "\${(@)lines[1,-2]}"; do
        value=\${line%%$'\t'*}
        description=''
        [[ $line == *$'\t'* ]] && description=\${line#*$'\t'}
        candidates+=("\${value//:/\\:}\${description:+:$description}")
    done
    if ((\${#candidates})); then
        if ((directive & 2)); then
            _describe -t tspod tspod candidates -S ''
        else
            _describe -t tspod tspod candidates
        fi
    elif ((!(directive & 4))); then
        _files
    fi
}

if [[ \${funcstack[1]} == _tspod ]]; then
    _tspod "$@"
else
    compdef _tspod tspod
fi
`;

const FISH = String.raw`# fish completion for tspod, written by "tspod completion fish".
# Install: tspod completion fish > ~/.config/fish/completions/tspod.fish
# It asks "tspod __complete WORDS... CURRENT" for the candidates of the word being typed.

function __tspod_complete
    set -l words (commandline -opc)
    set -l current (commandline -ct)
    set -l out ($words[1] __complete $words[2..-1] "$current" 2>/dev/null)
    set -l directive (string replace -r '^:' '' -- $out[-1])
    string match -qr '^[0-9]+$' -- "$directive"; or return
    set -e out[-1]
    if test (count $out) -eq 0; and test (math "bitand($directive, 4)") -eq 0
        __fish_complete_path "$current"
        return
    end
    printf '%s\n' $out
end

complete -c tspod -f -a '(__tspod_complete)'
`;

/** Unescapes the template's \${ (kept literal for the shells), so the scripts read as written. */
function text(script: string): string {
  return script.replace(/\\\$\{/g, '${');
}

const SCRIPTS: Record<string, string> = { bash: text(BASH), zsh: text(ZSH), fish: text(FISH) };

/** The script for shell, or undefined for a shell tspod has none for. */
export function completionScript(shell: string): string | undefined {
  return Object.hasOwn(SCRIPTS, shell) ? SCRIPTS[shell] : undefined;
}
