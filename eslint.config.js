// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.ficus/**', 'stack/unleash/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', module: 'writable', process: 'readonly', console: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // the cockpit's page: ES modules run by the browser, served as they are
    files: ['cockpit/web/**/*.js'],
    languageOptions: {
      sourceType: 'module',
      globals: Object.fromEntries(['document', 'location', 'fetch', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'addEventListener', 'removeEventListener', 'console', 'URLSearchParams'].map((g) => [g, 'readonly'])),
    },
  },
  {
    // Temporal workflow code must be deterministic: no Node built-ins, no floating promises.
    files: ['**/workflows.ts', '**/*-workflow.ts', '**/*-workflows.ts', 'workflows/src/**/workflows/**/*.ts'],
    ignores: ['**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...builtinModules, ...builtinModules.map((m) => `node:${m}`)].map((name) => ({ name, message: 'workflow code must be deterministic: no Node built-ins (use an activity)' })),
      }],
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
);
