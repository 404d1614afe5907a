/**
 * `lamina completion bash|zsh|fish`: prints a completion script for the shell.
 * bash: `source <(lamina completion bash)` or save it as
 * /usr/share/bash-completion/completions/lamina; zsh: save it as `_lamina` on
 * $fpath; fish: save it as ~/.config/fish/completions/lamina.fish.
 */
import { Argument, type Command } from 'commander';
import { bashScript, commandTree, fishScript, zshScript } from '../completion-scripts.js';
import { fullProgram } from '../program.js';

const SCRIPTS = { bash: bashScript, zsh: zshScript, fish: fishScript } as const;

async function completion(shell: keyof typeof SCRIPTS): Promise<void> {
  process.stdout.write(SCRIPTS[shell](commandTree(await fullProgram())));
}

export function addCompletionCommand(program: Command): void {
  program
    .command('completion')
    .description('Print a shell completion script. bash: source <(lamina completion bash); zsh: save as _lamina on $fpath; fish: save as ~/.config/fish/completions/lamina.fish.')
    .addArgument(new Argument('<shell>', 'the shell').choices(Object.keys(SCRIPTS)))
    .action(completion);
}
