/**
 * The `lamina` command. Each subcommand lives in `commands/<name>.ts` and adds
 * itself to the program; this file only wires them and turns errors into one line.
 */
import { Command, CommanderError } from 'commander';
import { errorLine, isLaminaError } from '../engine/errors.js';
import { addPlanCommand } from './commands/plan.js';
import { addServeCommand } from './commands/serve.js';
import { addBuildCommand } from './commands/build.js';
import { addImagesCommand } from './commands/images.js';
import { addCacheCommand } from './commands/cache.js';
import { addPushCommand } from './commands/push.js';
import { addInspectCommand } from './commands/inspect.js';
import { bareTlsVerify } from './commands/registry-flags.js';
import { useNixFromSettings } from './nix-setting.js';

function program(): Command {
  const cli = new Command('lamina')
    .description('Compose, inspect and push layered container images made from Nix packages.')
    .version('0.1.0')
    .exitOverride()
    // Usage errors are one line, like every other error, with where to read more.
    .configureOutput({ outputError: (text, write) => write(`${text.trim().replace(/^error: /, 'lamina: ')} (see lamina --help)\n`) });
  addPlanCommand(cli);
  addServeCommand(cli);
  addBuildCommand(cli);
  addImagesCommand(cli);
  addCacheCommand(cli);
  addPushCommand(cli);
  addInspectCommand(cli);
  return cli;
}

export async function main(argv: readonly string[]): Promise<number> {
  const cli = program();
  try {
    useNixFromSettings();
    await cli.parseAsync(bareTlsVerify(argv), { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    process.stderr.write(`lamina: ${errorLine(err)}\n`);
    // A bug report wants the stack; people running Lamina do not.
    if (process.env['LAMINA_DEBUG'] && err instanceof Error && !isLaminaError(err)) process.stderr.write(`${err.stack ?? ''}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
