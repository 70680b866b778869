/**
 * The completion scripts themselves, one generator per shell (bash, zsh, fish),
 * from a tool's command line as completion.ts reads it (`CommandSpec`) and the
 * schema's field paths.
 */
import { KNOWN_KINDS } from '../core/kinds.js';

/** What a value (of an option or a positional argument) completes to. */
export type Values =
  | { kind: 'none' }
  | { kind: 'files' }
  /** `list`: a comma-separated list of the words (`--kind exec,open`). */
  | { kind: 'words'; words: readonly string[]; list: boolean }
  | { kind: 'paths'; list: boolean }
  /** A `--where` query: the field path under the cursor, where a path can start. */
  | { kind: 'query' }
  /** A `--secl` expression: the SECL field name under the cursor, where a field can start. */
  | { kind: 'secl' };

export interface OptionSpec {
  short?: string;
  long?: string;
  description: string;
  values: Values | undefined;
  repeatable: boolean;
}

export interface CommandSpec {
  name: string;
  description: string;
  options: OptionSpec[];
  args: Values;
  commands: CommandSpec[];
}


const sq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const flagsOf = (o: OptionSpec): string[] => [o.short, o.long].filter((f): f is string => f !== undefined);

/**
 * bash and zsh (zsh under `emulate -L zsh`): `FN_steps PREFIX` sets `reply` to the paths one step
 * past PREFIX (`process.cred` -> `process.credentials`, `process.credentials.`); `FN_query QUERY
 * QUOTE`, REPLY to the length of what precedes the path under the cursor in a --where query (after
 * its opening QUOTE), failing in a string or where no path can start (start, ( ! not and or && ||).
 */
const stepsFunction = (name: string, names: string, list: string[]): string => `${names}=(
${list.map((p) => `  ${sq(p)}`).join('\n')}
)

${name}() {
  local c rest tail head seen=' '
  reply=()
  for c in "\${${names}[@]}"; do
    [[ $c == "$1"* ]] || continue
    rest=\${c:\${#1}}; tail=\${rest:1}
    if [[ $tail == *.* ]]; then head=$1\${rest:0:1}\${tail%%.*}.; else head=$c; fi
    [[ $seen == *" $head "* ]] || { seen+="$head "; reply+=("$head"); }
  done
}
`;

/** The paths' steps, the SECL field names' (`FN_secl_steps`, for `--secl`) and the query's position. */
const pathFunctions = (fn: string, paths: string[], secl: string[]): string => `${stepsFunction(`${fn}_steps`, `${fn}_path_names`, paths)}
${secl.length > 0 ? stepsFunction(`${fn}_secl_steps`, `${fn}_secl_names`, secl) : ''}
${fn}_query() {
  local text=$1 s=$1 word p re='^(r*[^"r]|r+"([^"\\\\]|\\\\+"|\\\\+[^"\\\\])*"|"([^"\\\\]|\\\\.)*")*(r+"([^"\\\\]|\\\\+"|\\\\+[^"\\\\])*\\\\*|"([^"\\\\]|\\\\.)*\\\\?)$'
  word=\${text##*[!]A-Za-z0-9_.*[]}
  # in a double-quoted shell word the query's own quotes are typed \\"
  if [[ $2 == '"' ]]; then s=\${text//'\\\\'/'\\'}; s=\${s//'\\"'/'"'}; fi
  # inside a string ("..." with JSON escapes, r"..." where only \\" is one)?
  [[ $s =~ $re ]] && return 1
  p=\${text:0:\${#text}-\${#word}}
  while p=\${p%"\${p##*[![:space:]]}"}; [[ -n $p && $p != *'(' && $p != *'&&' && $p != *'||' ]]; do
    case $p in
      *'!') p=\${p%'!'} ;;
      not | *[!A-Za-z0-9_.]not) p=\${p%not} ;;
      and | or | *[!A-Za-z0-9_.]and | *[!A-Za-z0-9_.]or) break ;;
      *) return 1 ;;
    esac
  done
  REPLY=$((\${#text} - \${#word}))
}
`;

/** bash: `_csm_filter`; completes paths one step at a time (`process.` -> `process.credentials.`). */
export function bashScript(tool: string, spec: CommandSpec, paths: string[], secl: string[] = []): string {
  const fn = `_${tool.replace(/-/g, '_')}`;
  const valueCase = (opts: OptionSpec[]): string => {
    const arms: string[] = [];
    for (const o of opts) {
      if (o.values === undefined) continue;
      arms.push(`    ${flagsOf(o).join('|')}) ${bashValues(o.values)}; return ;;`);
    }
    return arms.length > 0 ? `  case $prev in\n${arms.join('\n')}\n  esac\n` : '';
  };
  const bashValues = (v: Values): string =>
    v.kind === 'words'
      ? `${fn}_words "$cur" ${v.list ? 1 : 0} ${v.words.map(sq).join(' ')}`
      : { none: 'COMPREPLY=()', files: `${fn}_files "$cur"`, paths: `${fn}_paths "$cur" 0`, query: `${fn}_paths "$cur" 1`, secl: `${fn}_paths "$cur" 1 ${fn}_secl_steps` }[v.kind];
  const body = (c: CommandSpec): string =>
    valueCase(c.options) +
    `  if [[ $cur == -* ]]; then ${fn}_words "$cur" 0 ${c.options.flatMap(flagsOf).join(' ')}; return; fi\n` +
    `  ${bashValues(c.args)}\n`;
  let main: string;
  if (spec.commands.length === 0) {
    main = body(spec);
  } else {
    const arms = spec.commands.map((c) => `  ${c.name})\n${body(c).replace(/^/gm, '  ')}  ;;`).join('\n');
    main =
      `  if ((COMP_CWORD == 1)); then\n` +
      `    if [[ $cur == -* ]]; then ${fn}_words "$cur" 0 ${spec.options.flatMap(flagsOf).join(' ')}\n` +
      `    else ${fn}_words "$cur" 0 ${spec.commands.map((c) => c.name).join(' ')}; fi\n` +
      `    return\n  fi\n` +
      `  case ${'${COMP_WORDS[1]}'} in\n${arms}\n  esac\n`;
  }
  return `# bash completion for ${tool}, generated by \`${tool} completion bash\`.
# Load it with:  source <(${tool} completion bash)

# $1: the word; $2: 1 for a comma-separated list; then the candidates.
${fn}_words() {
  local cur=$1 list=$2 pre='' w
  shift 2
  if [[ $list == 1 && $cur == *,* ]]; then pre=\${cur%,*},; cur=\${cur##*,}; fi
  COMPREPLY=()
  for w in "$@"; do
    if [[ $w == "$cur"* ]]; then COMPREPLY+=("$pre$w"); fi
  done
}

${fn}_files() {
  local IFS=$'\\n'
  COMPREPLY=($(compgen -f -- "$1"))
  compopt -o filenames 2>/dev/null
}

${paths.length === 0 ? '' : `${pathFunctions(fn, paths, secl)}
# Field paths one step at a time; $2: 1 for a --where query; $3: the steps function (SECL names for --secl). A Tab that inserts (COMP_TYPE 9)
# gets a path that has children only with its dot, and no space; a list (Tab Tab) gets both.
${fn}_paths() {
  local cur=$1 pre='' q='' head REPLY reply
  COMPREPLY=()
  # a quoted word: COMP_WORDS keeps the opening quote, readline completes what follows it
  if [[ $cur == [\\'\\"]* ]]; then q=\${cur:0:1}; cur=\${cur:1}; fi
  if [[ $2 == 1 ]]; then
    ${fn}_query "$cur" "$q" || return 0
    pre=\${cur:0:REPLY} cur=\${cur:REPLY}
  elif [[ $cur == *,* ]]; then pre=\${cur%,*},; cur=\${cur##*,}; fi
  "\${3:-${fn}_steps}" "$cur"
  for head in "\${reply[@]}"; do
    [[ $COMP_TYPE == 9 && " \${reply[*]} " == *" $head"[.[]* ]] && continue
    COMPREPLY+=("$pre$head")
    if [[ $head == *. ]]; then compopt -o nospace 2>/dev/null; fi
  done
  # readline closes an open quote after a lone match (compopt cannot stop it): a twin keeps it open
  if [[ -n $q && $COMP_TYPE == 9 && \${#COMPREPLY[@]} == 1 ]] && [[ $2 == 1 || $COMPREPLY == *. ]]; then COMPREPLY+=("$COMPREPLY "); fi
  return 0
}
`}
${fn}() {
  local cur=\${COMP_WORDS[COMP_CWORD]} prev=\${COMP_WORDS[COMP_CWORD-1]}
  # --opt=value: bash splits at '='
  if [[ $cur == = ]]; then cur=''; elif [[ $prev == = ]] && ((COMP_CWORD > 1)); then prev=\${COMP_WORDS[COMP_CWORD-2]}; fi
${main}}

complete -F ${fn} ${tool}
`;
}

/** zsh: `_arguments` specs; `compset -P '*,'` for comma lists. */
export function zshScript(tool: string, spec: CommandSpec, paths: string[], kinds: boolean, secl: string[] = []): string {
  const fn = `_${tool.replace(/-/g, '_')}`;
  const desc = (s: string): string => s.replace(/\[/g, '(').replace(/\]/g, ')').replace(/:/g, '\\:');
  const action = (v: Values): string =>
    v.kind === 'words'
      ? v.list ? `${fn}_kinds` : `(${v.words.join(' ')})`
      : { none: ' ', files: '_files', paths: `${fn}_paths`, query: `${fn}_where`, secl: `${fn}_secl` }[v.kind];
  const optSpec = (o: OptionSpec): string => {
    const flags = flagsOf(o);
    const exclusive = o.repeatable ? '*' : `(${flags.join(' ')})`;
    const name = flags.length > 1 ? `{${flags.join(',')}}` : flags[0]!;
    const value = o.values !== undefined ? `:${o.long?.slice(2) ?? 'value'}:${action(o.values)}` : '';
    return `${sq(exclusive)}${name}${sq(`[${desc(o.description)}]${value}`)}`;
  };
  const argSpec = (v: Values): string => (v.kind === 'none' ? '' : ` ${sq(`*:arg:${action(v)}`)}`);
  const args = (c: CommandSpec): string => `_arguments -s -S \\\n    ${c.options.map(optSpec).join(' \\\n    ')}${argSpec(c.args)}`;
  let main: string;
  if (spec.commands.length === 0) {
    main = `  ${args(spec)}\n`;
  } else {
    const described = spec.commands.map((c) => sq(`${c.name}:${desc(c.description)}`)).join(' ');
    const arms = spec.commands.map((c) => `      ${c.name})\n        ${args(c).replace(/\n/g, '\n    ')} ;;`).join('\n');
    main = `  local curcontext=$curcontext state line
  local -a commands
  _arguments -C \\
    ${spec.options.map(optSpec).join(' \\\n    ')} \\
    '1:command:->command' '*::arg:->args'
  case $state in
    command) commands=(${described}); _describe command commands ;;
    args)
      case $line[1] in
${arms}
      esac ;;
  esac
`;
  }
  return `#compdef ${tool}
# zsh completion for ${tool}, generated by \`${tool} completion zsh\`.
# Load it with:  source <(${tool} completion zsh)   (after compinit), or save it as _${tool} in $fpath.

${kinds ? `${fn}_kind_names=(${KNOWN_KINDS.join(' ')})
${fn}_kinds() { compset -P '*,'; compadd -a ${fn}_kind_names; }
` : ''}${paths.length === 0 ? '' : `${pathFunctions(fn, paths, secl)}
# Field paths one step at a time: a path that has children comes with a removable '.' ('[*].'), as
# a directory with its '/'. $1: 'query' for a --where query, where a path ends with a removable
# space (zsh would close the quote); $2: the steps function (SECL names for --secl).
${fn}_paths() {
  emulate -L zsh
  local n REPLY; local -a reply leaves dot list whole; integer ret=1
  if [[ $1 == query ]]; then ${fn}_query "$PREFIX" "$compstate[quote]" || return 1; compset -p $REPLY; else compset -P '*,'; fi
  # (called by _arguments, $@ are compadd options: $2 is the steps function only after 'query')
  local steps=${fn}_steps; [[ $1 == query && -n $2 ]] && steps=$2
  $steps "$PREFIX"
  for n in $reply; do
    case $n in
      *'[*].') if ((\${#n} - 4 >= \${#PREFIX})); then list+=(\${n%'[*].'}); else whole+=($n); fi ;;
      *.) dot+=(\${n%.}) ;;
      *) leaves+=($n) ;;
    esac
  done
  leaves=(\${\${leaves:|dot}:|list})
  compadd -q -S . -a dot && ret=0; compadd -q -S '[*].' -a list && ret=0; compadd -S '' -a whole && ret=0
  if [[ $1 == query ]]; then compadd -q -S ' ' -a leaves && ret=0; else compadd -a leaves && ret=0; fi
  return ret
}
${fn}_where() { ${fn}_paths query; }
${secl.length > 0 ? `${fn}_secl() { ${fn}_paths query ${fn}_secl_steps; }\n` : ''}`}
${fn}() {
${main}}

if [[ $funcstack[1] == _${tool} ]]; then
  ${fn} "$@"
else
  compdef ${fn} ${tool}
fi
`;
}

/** fish: `complete` lines; `__fish_seen_subcommand_from` for csm-schema's commands. */
export function fishScript(tool: string, spec: CommandSpec, paths: string[], kinds: boolean, secl: string[] = []): string {
  const fn = `__${tool.replace(/-/g, '_')}`;
  const fq = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const valueArgs = (v: Values): string =>
    v.kind === 'words'
      ? v.list ? ` -x -a '(${fn}_list $${fn}_kinds)'` : ` -x -a ${fq(v.words.join(' '))}`
      : { none: ' -x', files: ' -r -F', paths: ` -x -a '(${fn}_path_steps list)'`, query: ` -x -a '(${fn}_path_steps query)'`, secl: ` -x -a '(${fn}_path_steps secl)'` }[v.kind];
  const lines = (c: CommandSpec, condition: string): string[] => {
    const out = c.options.map((o) => {
      const flags = (o.short !== undefined ? ` -s ${o.short.slice(1)}` : '') + (o.long !== undefined ? ` -l ${o.long.slice(2)}` : '');
      return `complete -c ${tool}${condition}${flags} -d ${fq(o.description)}${o.values !== undefined ? valueArgs(o.values) : ''}`;
    });
    if (c.args.kind === 'words') out.push(`complete -c ${tool}${condition} -x -a ${fq(c.args.words.join(' '))}`);
    if (c.args.kind === 'paths') out.push(`complete -c ${tool}${condition} -x -a '(${fn}_path_steps)'`);
    return out;
  };
  let body: string[];
  if (spec.commands.length === 0) {
    body = lines(spec, '');
  } else {
    body = [
      `complete -c ${tool} -f`,
      ...lines(spec, ` -n '__fish_use_subcommand'`),
      ...spec.commands.map((c) => `complete -c ${tool} -n '__fish_use_subcommand' -a ${c.name} -d ${fq(c.description)}`),
      ...spec.commands.flatMap((c) => lines(c, ` -n '__fish_seen_subcommand_from ${c.name}'`)),
    ];
  }
  return `# fish completion for ${tool}, generated by \`${tool} completion fish\`.
# Load it with:  ${tool} completion fish | source

${kinds ? `set -g ${fn}_kinds ${KNOWN_KINDS.join(' ')}\n` : ''}${
    paths.length === 0 ? '' : `set -g ${fn}_paths \\\n${paths.map((p) => `  ${fq(p)}`).join(' \\\n')}\n`
  }${secl.length === 0 ? '' : `set -g ${fn}_secl \\\n${secl.map((p) => `  ${fq(p)}`).join(' \\\n')}\n`}
# The candidates, after what precedes the last comma of the current token.
function ${fn}_list
    string join \\n -- (commandline -ct | string replace -r -- '[^,]*$' '')$argv
end

${paths.length === 0 ? '' : `
# The paths one step past $argv[1]: 'process.cred' -> 'process.credentials.' (a path that has
# children only with its dot; fish adds no space after a dot). $argv[2]: the list (default: the paths).
function ${fn}_steps
    set -l cur (string escape --style=regex -- $argv[1])
    set -l list ${fn}_paths
    set -q argv[2]; and set list $argv[2]
    set -l heads (string match -r -- "^$cur.*" $$list | string replace -r -- "^($cur.[^.]*\\.).+" '$1')
    set -l parents (string match -r -- '.*\\.$' $heads | string replace -r -- '(\\[\\*\\])?\\.$' '')
    set -l out
    for h in $heads
        contains -- $h $parents $out; or set -a out $h
    end
    string join \\n -- $out
end

# The length of what precedes the path under the cursor in a --where query ($argv[1], unquoted);
# fails inside a string, or where no path can start: only at the start, after ( ! not and or && ||.
function ${fn}_query
    # the closed strings ("..." with JSON escapes; r"..." where only \\" is one) go
    string replace -ra -- 'r"(?:\\\\\\\\"|[^"])*+"|"(?:\\\\\\\\.|[^"\\\\\\\\])*+"' '' $argv[1] | string match -q -- '*"*'; and return 1
    set -l pre (string replace -r -- '[A-Za-z0-9_.*\\[\\]]*$' '' $argv[1]; or true)
    set -l p $pre
    while not string match -qr -- '^\\s*$|(\\(|&&|\\|\\||(^|[^A-Za-z0-9_.])(and|or))\\s*$' "$p"
        string match -qr -- '(!|(^|[^A-Za-z0-9_.])not)\\s*$' "$p"; or return 1
        set p (string replace -r -- '(!|not)\\s*$' '' "$p"; or true)
    end
    string length -- "$pre"; or true # (0 for an empty one, and status 1)
end

# Field paths one step at a time for the current token; $argv[1]: 'list' for a comma-separated
# list, 'query' for a --where query, 'secl' for a --secl expression. A lone step that has children brings them too: fish inserts
# 'process.credentials.' and its pager shows what follows.
function ${fn}_path_steps
    # without an --option= before it (fish puts that back), and unquoted, as fish matches it
    set -l tok (commandline -ct | string replace -r -- '^--?[A-Za-z][A-Za-z-]*=' '')
    switch "$tok"
        case "'*"
            set tok (string sub -s 2 -- "$tok" | string replace -ra -- "\\\\\\\\([\\\\\\\\'])" '$1')
        case '"*'
            set tok (string sub -s 2 -- "$tok" | string replace -ra -- '\\\\\\\\([\\\\\\\\"$])' '$1')
    end
    set -l pre ''
    set -l list ${fn}_paths
    test "$argv[1]" = secl; and set list ${fn}_secl
    if test "$argv[1]" = query; or test "$argv[1]" = secl
        set -l n (${fn}_query "$tok"); or return 0
        set pre (string sub -l $n -- "$tok"; or true)
        set tok (string sub -s (math $n + 1) -- "$tok"; or true)
    else if test "$argv[1]" = list; and string match -q -- '*,*' "$tok"
        set pre (string replace -r -- '[^,]*$' '' "$tok")
        set tok (string replace -r -- '.*,' '' "$tok")
    end
    set -l heads (${fn}_steps "$tok" $list)
    if test (count $heads) = 1; and string match -q -- '*.' $heads; and test "$heads" != "$tok"
        set -a heads (${fn}_steps $heads $list)
    end
    string join \\n -- "$pre"$heads
end
`}
${body.join('\n')}
`;
}

