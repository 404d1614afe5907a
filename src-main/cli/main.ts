/**
 * The `lamina` command: runs the program (program.ts) and turns errors into one line.
 */
import { CommanderError } from 'commander';
import { errorLine, isLaminaError } from '../../src-shared/errors.js';
import { bareTlsVerify } from './bool-flags.js';
import { ChecksNeeded } from './parse-time-checks.js';
import { chosenCommand, program } from './program.js';

export async function main(argv: readonly string[]): Promise<number> {
  try {
    const chosen = chosenCommand(argv);
    const args = bareTlsVerify(argv);
    for (;;) {
      const cli = await program(chosen);
      // Before the action only: help and usage errors need no database.
      if (chosen?.usesNix === true) cli.hook('preAction', async () => (await import('./nix-setting.js')).useNixFromSettings());
      try {
        await cli.parseAsync(args, { from: 'user' });
        break;
      } catch (err) {
        // A flag whose value the engine checks: nothing has run yet, so load the checks and parse afresh.
        if (!(err instanceof ChecksNeeded)) throw err;
        await err.load();
      }
    }
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
