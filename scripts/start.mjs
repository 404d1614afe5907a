#!/usr/bin/env node
/**
 * `npm start`: builds the app, then opens it as a desktop app where Electron can
 * run (its binary is installed and there is a display), else the same app in the
 * browser through `lamina serve --open`. Both drive the same engine and data dir.
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const run = (command, args) => execFileSync(command, args, { cwd: root, stdio: 'inherit' });

function electronBinary() {
  try {
    const binary = require('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : undefined;
  } catch {
    return undefined; // installed with ELECTRON_SKIP_BINARY_DOWNLOAD=1
  }
}

const hasDisplay = process.platform !== 'linux' || Boolean(process.env.DISPLAY || process.env.WAYLAND_DISPLAY);
const electron = hasDisplay ? electronBinary() : undefined;

run('npx', ['electron-vite', 'build']);
if (electron) {
  if (!existsSync(join(root, 'resources', 'native', `${process.platform}-${process.arch}`, 'better_sqlite3.node'))) {
    run('npm', ['run', 'native:electron']);
  }
  spawn(electron, [root], { cwd: root, stdio: 'inherit' }).on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log('lamina: Electron cannot run here (no binary or no display); opening the app in your browser instead');
  spawn(process.execPath, [join(root, 'bin', 'lamina.mjs'), 'serve', '--open'], { cwd: root, stdio: 'inherit' }).on('exit', (code) =>
    process.exit(code ?? 0),
  );
}
