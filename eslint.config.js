import js from '@eslint/js'
import {defineConfig} from 'eslint/config'
import tseslint from 'typescript-eslint'
import noImportCycle from './lint/no-import-cycle.js'

/** the Node globals the repository's plain JavaScript (bin, scripts, this config) uses; TypeScript files are checked by tsc instead */
const nodeGlobals = Object.fromEntries(['process', 'console', 'URL', 'Buffer', 'setTimeout', 'clearTimeout'].map(name => [name, 'readonly']))

export default defineConfig(
  {ignores: ['**/dist/**', '**/bundle/**', '**/node_modules/**', 'mlps-results/**', 'mlps-data/**', '.bench-tmp/**']},
  {
    files: ['**/*.{js,mjs,ts}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    languageOptions: {globals: nodeGlobals},
    plugins: {mlps: {rules: {'no-import-cycle': noImportCycle}}},
    rules: {
      'mlps/no-import-cycle': ['error', {conditions: ['mlps-source']}],
      // a best-effort `catch {}` (a process already gone, a file that may not exist) is the house style
      'no-empty': ['error', {allowEmptyCatch: true}],
      // as tsc's noUnusedParameters: a leading underscore marks a parameter or a left-out property as unused on purpose
      '@typescript-eslint/no-unused-vars': ['error', {argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true}],
    },
  },
  {
    // one program for every TypeScript file (test/tsconfig.json includes them all, resolving `mlps` to its source):
    // one type-check instead of one per workspace keeps the lint within half a minute on two cores
    files: ['**/*.ts'],
    languageOptions: {parserOptions: {project: './test/tsconfig.json', tsconfigRootDir: import.meta.dirname}},
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    // tests take published JSON apart and mutate it field by field
    files: ['test/**/*.ts', 'plugins/*/test/**/*.ts'],
    rules: {'@typescript-eslint/no-explicit-any': 'off'},
  },
)
