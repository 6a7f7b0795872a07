/**
 * Shell completion scripts (`fedctl completion bash|zsh|fish`), generated from the command table
 * and each command's options, so that a new command or flag is completed without anyone
 * remembering to edit a script.
 */

export interface FlagSpec {
  /** Without dashes: `format`. */
  readonly long: string;
  /** One letter, without the dash: `f`. */
  readonly short?: string;
  /** True when the flag takes a value (`--format FMT`). */
  readonly takesValue: boolean;
}

export interface CommandSpec {
  readonly name: string;
  readonly summary: string;
  readonly flags: readonly FlagSpec[];
}

export const SHELLS = ['bash', 'zsh', 'fish'] as const;
export type Shell = (typeof SHELLS)[number];

/** Flags as node:util parseArgs declares them. */
export function flagsFromOptions(
  options: Readonly<Record<string, { readonly type: string; readonly short?: string }>>,
): FlagSpec[] {
  return Object.entries(options).map(([long, o]) => ({
    long,
    ...(o.short === undefined ? {} : { short: o.short }),
    takesValue: o.type === 'string',
  }));
}

/**
 * Flags as a command's help lists them, for a command that does not export its parseArgs
 * options: every `--flag` (with `-x, ` before it and an upper-case value name after it, if any)
 * at the start of an indented line of the help's Options section.
 */
export function flagsFromHelp(help: string): FlagSpec[] {
  const start = help.indexOf('\nOptions:\n');
  if (start === -1) return [];
  const out = new Map<string, FlagSpec>();
  for (const line of help.slice(start + 10).split('\n')) {
    if (!/^\s+-/.test(line)) {
      if (line.trim() === '' || !/^\s/.test(line)) break;
      continue;
    }
    // The flags come first; two spaces start the description, which may mention other flags.
    const head = line.trim().split(/\s{2,}/)[0] ?? '';
    for (const m of head.matchAll(/(?:-([a-zA-Z]), )?--([a-z][a-z0-9-]*)( [A-Z])?/g)) {
      const long = m[2];
      if (long === undefined) continue;
      out.set(long, {
        long,
        ...(m[1] === undefined ? {} : { short: m[1] }),
        takesValue: m[3] !== undefined,
      });
    }
  }
  return [...out.values()];
}

export function completionScript(shell: Shell, commands: readonly CommandSpec[]): string {
  switch (shell) {
    case 'bash':
      return bash(commands);
    case 'zsh':
      return zsh(commands);
    case 'fish':
      return fish(commands);
  }
}

const words = (flags: readonly FlagSpec[]): string =>
  flags
    .flatMap((f) => [`--${f.long}`, ...(f.short === undefined ? [] : [`-${f.short}`])])
    .join(' ');

/** Single quotes for the shell: summaries are fedctl's own text, but quote them anyway. */
const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

function bash(commands: readonly CommandSpec[]): string {
  const names = commands.map((c) => c.name).join(' ');
  const cases = commands.map((c) => `    ${c.name}) opts=${quote(words(c.flags))} ;;`).join('\n');
  return `# fedctl completion for bash. Load it with: source <(fedctl completion bash)
_fedctl() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" opts=""
  if [ "$COMP_CWORD" -eq 1 ]; then
    COMPREPLY=( $(compgen -W ${quote(`${names} help completion --help --version`)} -- "$cur") )
    return
  fi
  case "\${COMP_WORDS[1]}" in
${cases}
    help) COMPREPLY=( $(compgen -W ${quote(names)} -- "$cur") ); return ;;
    completion) COMPREPLY=( $(compgen -W 'bash zsh fish' -- "$cur") ); return ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts" -- "$cur") )
  fi
}
complete -o default -F _fedctl fedctl
`;
}

function zsh(commands: readonly CommandSpec[]): string {
  const described = commands
    .map((c) => `    ${quote(`${c.name}:${c.summary.replace(/:/g, '\\:')}`)}`)
    .join('\n');
  const cases = commands.map((c) => `    ${c.name}) opts=(${words(c.flags)}) ;;`).join('\n');
  return `#compdef fedctl
# fedctl completion for zsh. Load it with: source <(fedctl completion zsh)  (after compinit)
_fedctl() {
  local -a commands opts
  commands=(
${described}
    'help:Show the help of a command'
    'completion:Print a shell completion script'
  )
  if (( CURRENT == 2 )); then
    _describe 'command' commands
    return
  fi
  case \${words[2]} in
${cases}
    help) compadd -- ${commands.map((c) => c.name).join(' ')}; return ;;
    completion) compadd -- bash zsh fish; return ;;
  esac
  if [[ \${words[CURRENT]} == -* ]]; then
    compadd -- \${opts[@]}
  else
    _files
  fi
}
compdef _fedctl fedctl
`;
}

function fish(commands: readonly CommandSpec[]): string {
  const lines = [
    '# fedctl completion for fish. Load it with: fedctl completion fish | source',
    'complete -c fedctl -n __fish_use_subcommand -f',
    ...commands.map(
      (c) => `complete -c fedctl -n __fish_use_subcommand -a ${c.name} -d ${quote(c.summary)}`,
    ),
    "complete -c fedctl -n __fish_use_subcommand -a help -d 'Show the help of a command'",
    "complete -c fedctl -n __fish_use_subcommand -a completion -d 'Print a shell completion script'",
    `complete -c fedctl -n '__fish_seen_subcommand_from help' -a ${quote(commands.map((c) => c.name).join(' '))}`,
    "complete -c fedctl -n '__fish_seen_subcommand_from completion' -a 'bash zsh fish'",
  ];
  for (const c of commands) {
    for (const f of c.flags) {
      const short = f.short === undefined ? '' : ` -s ${f.short}`;
      // A flag with a value completes file names after it; the others take nothing.
      lines.push(
        `complete -c fedctl -n '__fish_seen_subcommand_from ${c.name}' -l ${f.long}${short}${f.takesValue ? ' -r -F' : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
