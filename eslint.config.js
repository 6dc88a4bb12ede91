import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Code quality here; who may import whom (the layers of STYLE.md) is checked
// by dependency-cruiser (.dependency-cruiser.cjs), which `npm run lint` also runs.
const noElectron = {
  paths: [{ name: 'electron', message: 'Only src-main/app and src-main/preload may import electron.' }],
};

export default tseslint.config(
  { ignores: ['bench/_*', 'out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'tests/artifacts/**', '.electron-native/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.name='parseFloat']", message: 'Money is integer minor units: parse with parseMoney.' },
      ],
      eqeqeq: ['error', 'smart'],
    },
  },
  {
    files: ['src-renderer/**/*.{ts,tsx}', 'tests/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['src-shared/**', 'src-main/core/**', 'src-main/cli/**', 'src-main/host/**', 'src-renderer/**', 'src-server/**'],
    rules: { 'no-restricted-imports': ['error', noElectron] },
  },
  {
    // Billing and the rest of the core take time from the injected Clock.
    files: ['src-main/core/**'],
    ignores: ['src-main/core/ports.ts', 'src-main/core/ids.ts'],
    rules: {
      'no-restricted-properties': ['error', { object: 'Date', property: 'now', message: 'Use the injected Clock.' }],
      'no-restricted-globals': ['error', { name: 'setInterval', message: 'Use the injected Scheduler.' }],
    },
  },
  {
    // bin/recurra.js is CommonJS (bin/package.json): a CommonJS entry starts faster.
    files: ['bin/**/*.js'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['tests/**', 'bench/**', 'scripts/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
