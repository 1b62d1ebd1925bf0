// Lint rules that hold the architecture's boundaries (style.md rule 11): the pure core imports no
// I/O or UI; execa only in the runner; no floating promises. (Progress is plain node:fs since conf
// left the dependencies: src/progress is the only code that writes the learner's state files.)
import tseslint from 'typescript-eslint';

const io = ['node:fs', 'node:fs/promises', 'node:child_process', 'fs', 'child_process', 'execa'];
const ui = ['ink', 'react', 'marked', 'marked-terminal'];
const paths = (names) => names.map((name) => ({ name, message: 'not allowed in this layer (see style.md)' }));

export default tseslint.config(
  { ignores: ['dist/**', 'dist.tmp-*/**', 'node_modules/**', 'bench/**/*.mjs', 'assets/**', 'coverage/**'] },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      'no-restricted-imports': ['error', { paths: paths(['execa']) }],
    },
  },
  {
    files: ['src/core/**/*.ts', 'src/session/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: paths([...io, ...ui]) }] },
  },
  {
    files: ['src/exec/runner.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/progress/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: paths(['execa']) }] },
  },
);
