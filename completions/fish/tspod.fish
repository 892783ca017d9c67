# fish completion for tspod, written by "tspod completion fish".
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
