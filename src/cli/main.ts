// The entry point. `--version` alone is answered here, before the command-line parser loads (a
// version query should cost what `node -e 0` costs); anything else goes to program.ts.

/** package.json's version, written in by the bundler (scripts/build.mjs). */
declare const NETNS_TUTOR_VERSION: string;

const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === '--version' || args[0] === '-V')) process.stdout.write(`${NETNS_TUTOR_VERSION}\n`);
else await import('./program.js');
