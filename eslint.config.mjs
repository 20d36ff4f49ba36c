import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const WEBVIEW_CODE = [{ group: ['**/webview/**'], message: 'The page is its own bundle, loaded only when a panel opens.' }];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', '.vscode-test/**', 'node_modules/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      curly: ['warn', 'multi-line'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': 'off',
    },
  },
  {
    // The extension never imports the webviews' browser code: it loads only when a panel opens.
    files: ['src/**/*.ts'],
    ignores: ['src/webview/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: WEBVIEW_CODE }] },
  },
  {
    // The core is plain Node: it must never reach for the editor API.
    files: ['src/core/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: ['vscode'], patterns: WEBVIEW_CODE }] },
  },
  {
    // Browser code: no Node, no editor API; from the core only the shared protocol and plain formatting.
    files: ['src/webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['vscode'], patterns: ['node:*', '../../*', '!../../core', '../../core/*', '!../../core/format', '!../../core/results', '../../core/results/*', '!../../core/results/protocol'] },
      ],
    },
  },
  {
    files: ['esbuild.js'],
    languageOptions: { sourceType: 'commonjs', globals: { require: 'readonly', console: 'readonly', process: 'readonly' } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
