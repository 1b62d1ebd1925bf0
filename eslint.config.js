// Lint rules that hold the rooms of src/ apart (docs/architecture.md): each room may import only
// the rooms below it, and only world/ may start processes. test/architecture.test.ts checks the
// same rooms and that no two folders import each other.
//
//   domain/  pure: no I/O, no UI, imports domain/ only
//   world/   the only room that spawns or touches the kernel; imports domain/
//   app/     wires domain and world into the tutor's services; imports domain/, world/
//   tui/     Ink only; imports domain/, app/
//   cli/     the commands; imports any room
import tseslint from 'typescript-eslint';

const spawners = ['node:child_process', 'child_process', 'execa'];
const io = ['node:fs', 'node:fs/promises', 'node:os', 'node:net', 'node:readline', 'node:readline/promises', 'fs', 'os', ...spawners];
const ui = ['ink', 'react', 'marked', 'marked-terminal', 'chalk'];
const room = (name) => ({ group: [`**/${name}/**`], message: `${name}/ is not imported from this room (docs/architecture.md)` });
const rule = (names, rooms = []) => [
  'error',
  {
    paths: names.map((name) => ({ name, message: 'not allowed in this room (docs/architecture.md)' })),
    patterns: rooms.map(room),
  },
];

export default tseslint.config(
  { ignores: ['dist/**', 'dist.tmp-*/**', 'node_modules/**', 'bench/**/*.mjs', 'assets/**', 'coverage/**'] },
  {
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    extends: [tseslint.configs.base],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  { files: ['src/domain/**'], rules: { 'no-restricted-imports': rule([...io, ...ui], ['world', 'app', 'tui', 'cli']) } },
  { files: ['src/world/**'], rules: { 'no-restricted-imports': rule(['execa', ...ui], ['app', 'tui', 'cli']) } },
  // the one place execa is allowed: every command the tutor runs goes through the runner
  { files: ['src/world/exec/runner.ts'], rules: { 'no-restricted-imports': rule(ui, ['app', 'tui', 'cli']) } },
  { files: ['src/app/**'], rules: { 'no-restricted-imports': rule([...spawners, ...ui], ['tui', 'cli']) } },
  { files: ['src/tui/**'], rules: { 'no-restricted-imports': rule(spawners, ['world', 'cli']) } },
  { files: ['src/cli/**'], rules: { 'no-restricted-imports': rule([...spawners, 'ink', 'react']) } },
);
