/**
 * `lamina build` and `lamina plan` start their Nix command before they load the
 * engine: Nix evaluates and roots the packages while Node loads the rest (a
 * no-change rebuild is mostly those two). The command's own run then takes that
 * nix-build up (see startBuild) if it is the very same command; if Settings name
 * another Nix folder meanwhile, it is stopped and that folder's runs instead.
 */
import { LaminaError } from '../../src-shared/errors.js';

/**
 * Runs a command that builds `attrs` of `flags.source` with Nix: Nix first, on
 * PATH's (startNix), then the Nix folder Settings name (reading Settings loads
 * the database driver, tens of ms; a folder chosen there makes the command stop
 * this nix-build and run that folder's), then `run`. A run that fails before it
 * takes the early nix-build up (a bad --push, say) has it ended here.
 */
export async function withEarlyNix(attrs: readonly string[], flags: NixFlags, run: () => Promise<void>): Promise<void> {
  const endEarly = await startNix(attrs, flags);
  try {
    (await import('./nix-setting.js')).useNixFromSettings();
    await run();
  } finally {
    await endEarly();
  }
}

interface NixFlags {
  readonly source: string;
  readonly builders?: string | undefined;
}

let interrupted: ((signal: NodeJS.Signals) => void) | undefined;
let interruptedBy: NodeJS.Signals | undefined;

/**
 * Starts the Nix command for `attrs` of `source` (on `builders`, when given) with
 * the GC root folder the command's run will take (takeEarlyRootDir). A source
 * that cannot be read, or a data dir that cannot be written, is left for that run
 * to report. Until the run handles Ctrl-C itself (handOverInterrupts), Ctrl-C
 * stops the nix-build, removes its folder and exits. Answers what ends it all,
 * for after the run, which also ends a nix-build nobody took up (the run failed
 * before it reached Nix: a bad --push, say).
 */
async function startNix(attrs: readonly string[], flags: NixFlags): Promise<() => Promise<void>> {
  const [{ parseSource }, { startBuild, endEarlyBuild }, { StoreLayout }, { laminaHome }] = await Promise.all([
    import('../engine/nix/source.js'),
    import('../engine/nix/build.js'),
    import('../engine/store/layout.js'),
    import('../engine/home.js'),
  ]);
  const end = async (): Promise<void> => {
    releaseInterrupts();
    await endEarlyBuild();
  };
  try {
    // The folder the run would make for its roots; the command runs once, with the flags' builders (not Settings').
    const gcRootDir = new StoreLayout(laminaHome()).ingestPath('nix-roots');
    startBuild(parseSource(flags.source), attrs, { gcRootDir, ...(flags.builders !== undefined ? { builders: flags.builders } : {}) });
  } catch {
    return end;
  }
  interrupted = (signal) => {
    interruptedBy = signal;
    void endEarlyBuild().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  return end;
}

function releaseInterrupts(): void {
  if (interrupted === undefined) return;
  process.off('SIGINT', interrupted);
  process.off('SIGTERM', interrupted);
  interrupted = undefined;
}

/**
 * For the command's run, as it sets up its own Ctrl-C handling: `onInterrupt`
 * hears SIGINT and SIGTERM from now on, in place of startNix's handler. It is
 * added before startNix's goes: Node hands a signal to the listeners there are
 * when its event loop next turns, and with none in between, a Ctrl-C that came
 * while the command loaded its code would reach neither (and the build would run
 * to its end). Throws when startNix's handler has run already: the run must not
 * start then. Answers what removes `onInterrupt`.
 */
export function handOverInterrupts(onInterrupt: () => void): () => void {
  process.once('SIGINT', onInterrupt);
  process.once('SIGTERM', onInterrupt);
  const remove = (): void => {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  };
  releaseInterrupts();
  if (interruptedBy !== undefined) {
    remove();
    throw new LaminaError('cancelled by the user', 'cancelled');
  }
  return remove;
}
