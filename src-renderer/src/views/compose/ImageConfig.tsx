import { useId, useState } from 'react';
import type { ComposeRecipe } from '../../../../src-shared/ipc/contract';
import { useRecipe } from '../../store/recipe';

type Config = ComposeRecipe['config'];

/** `bash -c "echo hi"` -> ['bash', '-c', 'echo hi']: words split on spaces, quotes keep spaces in. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  for (const match of text.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(match[1] ?? match[2] ?? match[3]!);
  return words;
}

function joinWords(words: readonly string[] | undefined): string {
  return (words ?? []).map((w) => (w === '' || /\s/.test(w) ? `"${w}"` : w)).join(' ');
}

function envLines(env: Config['env']): string {
  if (!env) return '';
  return Array.isArray(env) ? env.join('\n') : Object.entries(env).map(([k, v]) => `${k}=${v}`).join('\n');
}

/** Drops empty fields so the image gets the engine's defaults rather than empty values. */
function compact(config: Config): Config {
  return Object.fromEntries(Object.entries(config).filter(([, v]) => (Array.isArray(v) ? v.length > 0 : v !== undefined && v !== ''))) as Config;
}

/**
 * The runtime config of the image. Fields keep the text as typed; the recipe
 * gets the parsed form. A bad line is named beside its field.
 */
export function ImageConfig() {
  const id = useId();
  const config = useRecipe((s) => s.recipe.config);
  const update = useRecipe((s) => s.update);
  const [envError, setEnvError] = useState<string | null>(null);
  const [portError, setPortError] = useState<string | null>(null);
  const set = (change: Partial<Config>) => update({ config: compact({ ...config, ...change }) });

  return (
    <fieldset className="card image-config">
      <legend>Image config</legend>
      <label htmlFor={`${id}-entrypoint`}>
        Entrypoint
        <input id={`${id}-entrypoint`} defaultValue={joinWords(config.entrypoint)} placeholder="e.g. /bin/bash" onChange={(e) => set({ entrypoint: splitWords(e.target.value) })} />
      </label>
      <label htmlFor={`${id}-cmd`}>
        Command
        <input id={`${id}-cmd`} defaultValue={joinWords(config.cmd)} placeholder={'e.g. -c "echo hello"'} onChange={(e) => set({ cmd: splitWords(e.target.value) })} />
      </label>
      <label htmlFor={`${id}-user`}>
        User
        <input id={`${id}-user`} defaultValue={config.user ?? ''} placeholder="e.g. 1000:1000" onChange={(e) => set({ user: e.target.value.trim() })} />
      </label>
      <label htmlFor={`${id}-workdir`}>
        Working directory
        <input id={`${id}-workdir`} defaultValue={config.workingDir ?? ''} placeholder="e.g. /srv" onChange={(e) => set({ workingDir: e.target.value.trim() })} />
      </label>
      <label htmlFor={`${id}-ports`}>
        Ports
        <input
          id={`${id}-ports`}
          defaultValue={(config.exposedPorts ?? []).join(' ')}
          placeholder="e.g. 8080/tcp 53/udp"
          aria-invalid={portError !== null}
          aria-describedby={portError ? `${id}-ports-error` : undefined}
          onChange={(e) => {
            const ports = e.target.value.split(/[\s,]+/).filter(Boolean);
            const bad = ports.find((p) => !/^\d{1,5}(\/(tcp|udp|sctp))?$/.test(p));
            setPortError(bad ? `“${bad}” is not a port: write a number with an optional /tcp or /udp, e.g. 8080/tcp` : null);
            if (!bad) set({ exposedPorts: ports.map((p) => (p.includes('/') ? p : `${p}/tcp`)) });
          }}
        />
      </label>
      {portError ? (
        <p className="error field-error" id={`${id}-ports-error`} role="alert">
          {portError}
        </p>
      ) : null}
      <label htmlFor={`${id}-env`} className="wide">
        Environment (one NAME=value a line)
        <textarea
          id={`${id}-env`}
          rows={3}
          defaultValue={envLines(config.env)}
          placeholder="LANG=C.UTF-8"
          aria-invalid={envError !== null}
          aria-describedby={envError ? `${id}-env-error` : undefined}
          onChange={(e) => {
            const lines = e.target.value.split('\n').map((l) => l.trim()).filter(Boolean);
            const bad = lines.find((l) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(l));
            setEnvError(bad ? `“${bad}” is not NAME=value; names start with a letter or _` : null);
            if (!bad) set({ env: lines });
          }}
        />
      </label>
      {envError ? (
        <p className="error field-error" id={`${id}-env-error`} role="alert">
          {envError}
        </p>
      ) : null}
    </fieldset>
  );
}
