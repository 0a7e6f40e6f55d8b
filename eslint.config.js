// ESLint flat config (`npm run lint` = eslint src test migrations). Syntax-level rules only — no type-checked rules, so
// it stays fast; `npm run typecheck` is the type gate and `npm run lint:deps` the module-boundary gate.
import { defineConfig, globalIgnores } from 'eslint/config';
import { builtinRules } from 'eslint/use-at-your-own-risk';
import tseslint from 'typescript-eslint';

// ESLint's own "recommended" set, read from the rules' metadata (the @eslint/js package that ships it is not installed).
const coreRecommended = Object.fromEntries(
  [...builtinRules].filter(([, rule]) => rule.meta?.docs?.recommended).map(([name]) => [name, 'error']),
);

const nodeGlobals = Object.fromEntries(
  ['process', 'console', 'Buffer', 'URL', 'URLSearchParams', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'setImmediate', 'fetch', 'AbortController', 'AbortSignal', 'structuredClone', 'performance', 'globalThis'].map(
    (name) => [name, 'readonly'],
  ),
);

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', '.data/', 'coverage/', 'bench-results/']),
  {
    files: ['**/*.{js,mjs,cjs,ts}'],
    rules: coreRecommended,
  },
  tseslint.configs.recommended,
  {
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: nodeGlobals },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { ...nodeGlobals, require: 'readonly', module: 'writable', exports: 'writable', __dirname: 'readonly', __filename: 'readonly' },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // `_`-prefixed parameters, variables and caught errors are deliberately unused (interfaces, destructuring out).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { args: 'after-used', argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'all', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // test/support rethrows setup failures as friendlier errors without `{ cause }`; that folder is the harness owners'.
    files: ['test/support/**'],
    rules: { 'preserve-caught-error': 'off' },
  },
);
