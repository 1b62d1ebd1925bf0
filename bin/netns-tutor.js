#!/usr/bin/env node
// The netns-tutor command: loads the bundled CLI (npm run build writes dist/cli.js).
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('netns-tutor is not built yet: run `npm run build` in its folder first.\n');
  process.exit(2);
}
await import(cli.href);
