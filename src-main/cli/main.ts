/**
 * The `lamina` command: runs the program (program.ts) and turns errors into one line.
 */
import { CommanderError } from 'commander';
import { errorLine, isLaminaError } from '../../src-shared/errors.js';
import { bareTlsVerify } from './bool-flags.js';
import { chosenCommand, program } from './program.js';

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const chosen = chosenCommand(argv);
    const cli = await program(chosen);
    if (chosen?.usesNix) (await import('./nix-setting.js')).useNixFromSettings();
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
