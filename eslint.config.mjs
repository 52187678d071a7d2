// ESLint: typescript-eslint's type-aware recommended rules for all TypeScript, plus the project's rules
// (scripts/lint/rvosRules.mjs): the import layers of src/ and branches that repeat each other. `npm run lint`.

import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';
import rvos from './scripts/lint/rvosRules.mjs';

const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      'media/**',
      'training/**',
      'sample/**',
      '.cache/**',
      '.artifacts/**',
      'bench/data/**',
    ],
  },
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: root } },
    plugins: { rvos },
    rules: {
      'rvos/duplicate-branches': 'error',
      // `let x; const get = () => x; … x = v;` cannot be const; by default the rule still asks for it.
      'prefer-const': ['error', { ignoreReadBeforeAssign: true }],
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      // node:test's test()/describe() return promises the runner itself awaits (about 400 calls).
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      // Abort reasons and caught errors are passed on as they came, not wrapped.
      '@typescript-eslint/prefer-promise-reject-errors': [
        'error',
        { allowThrowingAny: true, allowThrowingUnknown: true },
      ],
      // `async` on a method that implements an async interface (VS Code's serializers, test doubles) makes a throw a
      // rejection, which is what its caller handles; that it awaits nothing is no fault.
      '@typescript-eslint/require-await': 'off',
      // A number[] in an assertion message prints as "1,2,3", which is what it is there for.
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowArray: true }],
    },
  },
  {
    // Tests, benchmarks and tools read JSON (manifests, fixtures, reports) and poke at it untyped on purpose: a wrong
    // shape fails the test or the run right there. Everything else applies to them as to src/.
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: { 'rvos/layers': 'error' },
  },
  {
    files: ['**/*.mjs'],
    extends: [js.configs.recommended],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
