/**
 * Shell completion scripts written from the program's own command tree, so they
 * name exactly the commands, subcommands, flags and flag choices that exist.
 * Flags that take a free value complete file names; choices complete as listed.
 */
import type { Command, Option } from 'commander';

interface FlagInfo {
  readonly long: string;
  readonly short?: string;
  readonly description: string;
  readonly takesValue: boolean;
  readonly choices?: readonly string[];
}

interface CommandInfo {
  /** Words after `lamina`: '' for the program itself, `cache ls` for a subcommand. */
  readonly path: string;
  readonly subcommands: readonly { name: string; summary: string }[];
  readonly flags: readonly FlagInfo[];
}

function flagOf(option: Option): FlagInfo | undefined {
  if (!option.long || option.hidden) return undefined;
  return {
    long: option.long,
    ...(option.short ? { short: option.short } : {}),
    description: option.description,
    takesValue: option.required || option.optional,
    ...(option.argChoices ? { choices: option.argChoices } : {}),
  };
}

const HELP: FlagInfo = { long: '--help', short: '-h', description: 'show help', takesValue: false };

/** Every command of the program, the program first. */
export function commandTree(program: Command): CommandInfo[] {
  const out: CommandInfo[] = [];
  const walk = (command: Command, path: string): void => {
    out.push({
      path,
      subcommands: command.commands.map((c) => ({ name: c.name(), summary: c.summary() || c.description().split('\n')[0]! })),
      flags: [...command.options.flatMap((o) => flagOf(o) ?? []), HELP],
    });
    for (const sub of command.commands) walk(sub, path ? `${path} ${sub.name()}` : sub.name());
  };
  walk(program, '');
  return out;
}

const shellWord = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;

/** bash (also loaded by zsh through bashcompinit): needs no bash-completion package. */
export function bashScript(tree: readonly CommandInfo[]): string {
  const keys = tree.map((c) => c.path).filter(Boolean);
  const patterns = (c: CommandInfo, f: FlagInfo): string => [f.long, ...(f.short ? [f.short] : [])].map((name) => shellWord(`${c.path}|${name}`)).join('|');
  const valueFlags = tree.flatMap((c) => c.flags.filter((f) => f.takesValue).map((f) => ({ c, f })));
  const choiceCases = valueFlags
    .filter(({ f }) => f.choices)
    .map(({ c, f }) => `    ${patterns(c, f)}) COMPREPLY=($(compgen -W ${shellWord(f.choices!.join(' '))} -- "$cur")); return ;;`);
  const free = valueFlags.filter(({ f }) => !f.choices).map(({ c, f }) => patterns(c, f));
  // A free value (a path, a name, a size): nothing offered, so -o default completes file names.
  const valueCases = [...choiceCases, ...(free.length ? [`    ${free.join('|')}) return ;;`] : [])];
  const wordCases = tree.map((c) => {
    const words = [...c.subcommands.map((s) => s.name), ...c.flags.flatMap((f) => [f.long, ...(f.short ? [f.short] : [])])];
    return `    ${shellWord(c.path)}) words=${shellWord(words.join(' '))} ;;`;
  });
  return `# bash completion for lamina (written by \`lamina completion bash\`)
_lamina() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="\${COMP_WORDS[COMP_CWORD-1]}" path="" word words i
  local known=" ${keys.map((k) => k.replace(/ /g, '_')).join(' ')} "
  for ((i = 1; i < COMP_CWORD; i++)); do
    word="\${COMP_WORDS[i]}"
    case "$word" in -*) continue ;; esac
    if [[ $known == *" \${path:+\${path// /_}_}$word "* ]]; then path="\${path:+$path }$word"; fi
  done
  if [[ $prev == -* ]]; then
    case "$path|$prev" in
${valueCases.join('\n')}
    esac
  fi
  case "$path" in
${wordCases.join('\n')}
    *) words="" ;;
  esac
  if [[ $cur == -* || -n $words ]]; then COMPREPLY=($(compgen -W "$words" -- "$cur")); fi
}
complete -o default -F _lamina lamina
`;
}

/** zsh: the bash script through zsh's own bashcompinit. */
export function zshScript(tree: readonly CommandInfo[]): string {
  return `#compdef lamina
# zsh completion for lamina (written by \`lamina completion zsh\`)
autoload -U +X bashcompinit && bashcompinit
${bashScript(tree)}`;
}

const fishText = (text: string): string => `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

export function fishScript(tree: readonly CommandInfo[]): string {
  const lines = ['# fish completion for lamina (written by `lamina completion fish`)', 'complete -c lamina -f'];
  for (const command of tree) {
    const words = command.path.split(' ').filter(Boolean);
    const subs = command.subcommands.map((s) => s.name);
    // On a command's line: every word of its path seen, and none of its subcommands yet.
    const seen = words.map((w) => `__fish_seen_subcommand_from ${w}`);
    const here = [...(words.length ? seen : ['__fish_use_subcommand']), ...(words.length && subs.length ? [`not __fish_seen_subcommand_from ${subs.join(' ')}`] : [])];
    const condition = fishText(here.join('; and '));
    for (const sub of command.subcommands) lines.push(`complete -c lamina -n ${condition} -a ${sub.name} -d ${fishText(sub.summary)}`);
    for (const flag of command.flags) {
      const short = flag.short ? ` -s ${flag.short.slice(1)}` : '';
      const value = flag.choices ? ` -x -a ${fishText(flag.choices.join(' '))}` : flag.takesValue ? ' -r -F' : '';
      lines.push(`complete -c lamina -n ${condition} -l ${flag.long.slice(2)}${short}${value} -d ${fishText(flag.description)}`);
    }
  }
  return lines.join('\n') + '\n';
}
