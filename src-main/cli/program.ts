/**
 * The commands of `lamina`. A command's module (and the engine parts it pulls in)
 * is loaded only when that command runs, so `lamina --help` starts at once.
 */
import { Command } from 'commander';
import { version } from '../../package.json';

type AddCommand = (program: Command) => void;

interface CommandEntry {
  readonly name: string;
  /** The line `lamina --help` shows; the command's own --help has its full description. */
  readonly summary: string;
  readonly load: () => Promise<AddCommand>;
  /**
   * Whether it may run Nix, so the Nix folder chosen in Settings must be read
   * first; 'in-action' when the command's action reads it itself (build and plan
   * start Nix before it, see withEarlyNix).
   */
  readonly usesNix?: boolean | 'in-action';
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: 'plan', summary: 'show how packages split into layers', load: async () => (await import('./commands/plan.js')).addPlanCommand, usesNix: 'in-action' },
  { name: 'serve', summary: 'open the app in a browser', load: async () => (await import('./commands/serve.js')).addServeCommand, usesNix: true },
  { name: 'build', summary: 'build an image from Nix packages', load: async () => (await import('./commands/build.js')).addBuildCommand, usesNix: 'in-action' },
  { name: 'images', summary: 'list the images in the local store', load: async () => (await import('./commands/images.js')).addImagesCommand },
  { name: 'rmi', summary: 'remove images from the local store', load: async () => (await import('./commands/rmi.js')).addRmiCommand },
  { name: 'export', summary: 'write a store image to oci: or docker-archive:', load: async () => (await import('./commands/export.js')).addExportCommand },
  { name: 'cache', summary: 'inspect and maintain the layer cache', load: async () => (await import('./commands/cache.js')).addCacheCommand },
  { name: 'push', summary: 'push an image to a registry', load: async () => (await import('./commands/push.js')).addPushCommand },
  { name: 'inspect', summary: 'show an image: manifest, config, layers, files', load: async () => (await import('./commands/inspect.js')).addInspectCommand },
  { name: 'completion', summary: 'print a shell completion script (bash, zsh, fish)', load: async () => (await import('./commands/completion.js')).addCompletionCommand },
];

/** The command the arguments run (`lamina help NAME` included), if any. */
export function chosenCommand(argv: readonly string[]): CommandEntry | undefined {
  const words = argv.filter((a) => !a.startsWith('-'));
  const name = words[0] === 'help' ? words[1] : words[0];
  return COMMANDS.find((c) => c.name === name);
}

function baseProgram(): Command {
  return (
    new Command('lamina')
      .description('Compose, inspect and push layered container images made from Nix packages.')
      .version(version)
      .exitOverride()
      // Usage errors are one line, like every other error, with where to read more.
      .configureOutput({ outputError: (text, write) => write(`${text.trim().replace(/^error: /, 'lamina: ')} (see lamina --help)\n`) })
  );
}

/** The program with every command defined in full (for completion scripts). */
export async function fullProgram(): Promise<Command> {
  const cli = baseProgram();
  for (const entry of COMMANDS) {
    (await entry.load())(cli);
    cli.commands.at(-1)?.summary(entry.summary);
  }
  return cli;
}

/** The program with only `chosen` defined in full; the others are listed by name and summary. */
export async function program(chosen: CommandEntry | undefined): Promise<Command> {
  const cli = baseProgram();
  for (const entry of COMMANDS) {
    if (entry === chosen) (await entry.load())(cli);
    else cli.command(entry.name);
    cli.commands.at(-1)?.summary(entry.summary);
  }
  return cli;
}

