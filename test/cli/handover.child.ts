/**
 * A command's handover of Ctrl-C, in a process of its own (the signal is real):
 * withEarlyNix for `attr` of `source`, a SIGINT while the command loads its code (a
 * stretch of synchronous work, as module loading and opening the store are),
 * then the handover. Prints whether the command's own handler heard the signal.
 */
import { handOverInterrupts, withEarlyNix } from '../../src-main/cli/early-nix.js';

const [source, attr] = process.argv.slice(2) as [string, string];
let heard = false;
await withEarlyNix([attr], { source }, async () => {
  process.kill(process.pid, 'SIGINT');
  const loaded = Date.now() + 200;
  while (Date.now() < loaded);
  const stopListening = handOverInterrupts(() => (heard = true));
  await new Promise((resolve) => setTimeout(resolve, 300));
  stopListening();
});
process.stdout.write(heard ? 'heard\n' : 'lost\n');
