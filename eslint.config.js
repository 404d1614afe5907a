import { builtinModules } from 'node:module';
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'bench/results/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,mjs,js}'],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Advice for the React Compiler, which Lamina does not use: TanStack Virtual's hook is fine without it.
      'react-hooks/incompatible-library': 'off',
      // The page runs sandboxed: it reaches the engine only through the IPC contract, and shares only src-shared.
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/src-main/**'], message: 'The renderer imports src-shared, never src-main.' }] }],
    },
  },
  {
    // The engine is plain Node: the CLI, tests and benchmarks run it without Electron.
    files: ['src-main/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'The engine never imports electron.' }] }],
    },
  },
  {
    // What both processes import: types, enums, defaults and pure functions. It runs in the
    // renderer's sandbox as well as in Node, so it may import nothing of Node, Electron or either side.
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'src-shared runs in the renderer too.' }, ...builtinModules.map((name) => ({ name, message: 'src-shared runs in the renderer too: no Node modules.' }))],
          patterns: [
            { group: ['node:*'], message: 'src-shared runs in the renderer too: no Node modules.' },
            { group: ['**/src-main/**', '**/src-renderer/**'], message: 'src-shared imports only src-shared: move the type here instead.' },
          ],
        },
      ],
    },
  },
);
