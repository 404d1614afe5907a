/**
 * Turns what Nix prints when it fails into one line for a person: the message
 * itself, where it happened, and Nix's own suggestion, without the `error:` prefix,
 * the evaluation trace, the code frame or terminal colours.
 */
import { stripVTControlCharacters } from 'node:util';
import { storePathName } from '../closure/graph.js';
import { LaminaError } from '../../../src-shared/errors.js';
import type { NixLogReader } from './log.js';
import type { NixRunResult } from './process.js';
import { redactCredentials } from './redact.js';

const ERROR_LINE = /^\s*error:\s*(.*)$/;
const TRACE_LINE = /^\s*(…|\.\.\. while|at\s|\d+\||\|)/;
const LOCATION_LINE = /^\s*at (.+?):?\s*$/;
const SUGGESTION_LINE = /^\s*(Did you mean .*)$/;
const SHOW_TRACE_HINT = /^\(use '--show-trace'/;
const BUILDER_FAILED = /builder for '([^']+\.drv)' failed(?: with exit code (\d+)| due to signal (\d+))?/;

/** The gist of one Nix error message, on one line, with no URL's credentials (Nix repeats the source it was given). */
export function errorGist(message: string): string {
  const lines = stripVTControlCharacters(message).split('\n');
  // Nix 2.13+ prints the trace first and the error itself last, each with `error:`;
  // older Nix prints the error first. The last non-empty `error:` line is the error either way.
  let start = lines.findLastIndex((l) => ERROR_LINE.test(l) && ERROR_LINE.exec(l)![1] !== '');
  if (start === -1) start = lines.findIndex((l) => l.trim() !== '' && !TRACE_LINE.test(l) && !/^\s*error:\s*$/.test(l));
  if (start === -1) return 'Nix failed without saying why';
  const block = [lines[start]!.replace(ERROR_LINE, '$1')];
  let next = start + 1;
  for (; next < lines.length; next++) {
    const line = lines[next]!;
    if (line.trim() === '' || TRACE_LINE.test(line)) break;
    block.push(line);
  }
  let gist = block.join(' ');
  const rest = lines.slice(next);
  const location = rest.map((l) => LOCATION_LINE.exec(l)?.[1]).find((l) => l !== undefined);
  // «string» and friends are Lamina's own --expr, not a place the user can look at.
  if (location && !location.startsWith('«')) gist += ` (at ${location})`;
  const suggestion = rest.map((l) => SUGGESTION_LINE.exec(l)?.[1]).find((l) => l !== undefined);
  if (suggestion && !gist.includes(suggestion.trim())) gist += ` ${suggestion}`;
  // Nix nests messages ("cannot build on 'ssh://h': error: cannot connect…"); the inner prefix adds nothing.
  return redactCredentials(gist.replace(/:\s+error:\s+/g, ': ').replace(/\s+/g, ' ').trim());
}

/**
 * The error for a Nix run that failed. A failed builder is reported by derivation
 * and last log line; anything else by Nix's first error message, after `context`.
 */
export function nixFailure(context: string, result: NixRunResult, reader: NixLogReader): LaminaError {
  for (const message of reader.errors) {
    const failed = BUILDER_FAILED.exec(message);
    if (!failed) continue;
    const drv = failed[1]!;
    const reason = failed[2] ? `exit code ${failed[2]}` : failed[3] ? `signal ${failed[3]}` : 'an error';
    const last = reader.lastLogLine(drv);
    const tail = last ? `; its last log line: ${redactCredentials(last.trim())}` : '; it printed nothing';
    return new LaminaError(
      `Building ${storePathName(drv.replace(/\.drv$/, ''))} failed with ${reason}${tail} (whole log: nix-store -l ${drv})`,
      'nix-build-failed',
    );
  }
  const message = reader.errors.find((m) => !SHOW_TRACE_HINT.test(m)) ?? lastWords(result);
  return new LaminaError(redactCredentials(`${context}: ${errorGist(message)}`), 'nix-error');
}

// When Nix printed no structured error, its last plain words are the best there is.
function lastWords(result: NixRunResult): string {
  const plain = result.stderr.filter((l) => !l.startsWith('@nix ') && l.trim() !== '');
  return plain.at(-1) ?? `Nix exited with code ${result.exitCode ?? 'unknown'}`;
}
