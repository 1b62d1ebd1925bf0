// The entry point: parses the command line, runs one command, renders any error once and sets
// the exit code. Commands live in src/commands/, one file each, loaded only when used.
import { Command } from 'commander';
import { AbortError, renderError } from './errors.js';

/** package.json's version, written in by the bundler (scripts/build.mjs). */
declare const NETNS_TUTOR_VERSION: string;

const program = new Command()
  .name('netns-tutor')
  .description('Learn Linux and container networking by doing, in a sandbox of real namespaces.')
  .version(NETNS_TUTOR_VERSION)
  .showHelpAfterError('(run netns-tutor --help for the commands)')
  // the tutor's own options (--lessons) only before a command, so `test-lessons --lessons DIR`
  // reaches the command instead of being taken by the tutor
  .enablePositionalOptions();

program
  .option('--lessons <dir>', 'run the course in DIR instead of the built-in one')
  .option('--progress <file>', 'keep progress in FILE (default: the per-user config; env NETNS_TUTOR_PROGRESS)')
  // a word that is no command reaches the tutor's action: say so instead of "too many arguments"
  .allowExcessArguments(true)
  .action(async (opts: { lessons?: string; progress?: string }) => {
    const [word] = program.args;
    if (word !== undefined) throw unknownCommand(word);
    const { runTutor } = await import('./commands/tutor.js');
    process.exitCode = await runTutor(opts);
  });

program
  .command('shell')
  .description('an interactive bash in a fresh sandbox (or -c CMD: run CMD there and exit with its status)')
  .option('-c, --command <cmd>', 'run CMD in the sandbox and exit with its status')
  .option('--attach', "open the shell in the running tutor's sandbox")
  .action(async (opts: { command?: string; attach?: boolean }) => {
    const { runShellCommand } = await import('./commands/shell.js');
    process.exitCode = await runShellCommand(opts);
  });

program
  .command('lessons')
  .description('the course: lessons and their steps, with your progress')
  .option('--json', 'print as JSON')
  .option('--lessons <dir>', 'read the course from DIR')
  .option('--progress <file>', 'read progress from FILE (default: as the tutor does)')
  .action(async (opts: { json?: boolean; lessons?: string; progress?: string }) => {
    const { runLessons } = await import('./commands/lessons.js');
    process.exitCode = await runLessons(opts);
  });

program
  .command('check')
  .description("evaluate a step's checks against the network world this runs in (inside `netns-tutor shell`, that sandbox)")
  .argument('<lesson>', 'lesson id or number')
  .argument('<step>', 'step id or number')
  .option('--json', 'print as JSON')
  .option('--lessons <dir>', 'read the course from DIR')
  .action(async (lesson: string, step: string, opts: { json?: boolean; lessons?: string }) => {
    const { runCheck } = await import('./commands/check.js');
    process.exitCode = await runCheck(lesson, step, opts);
  });

program
  .command('test-lessons')
  .description("the course's self-test: every step fails before its solution and passes after it")
  .option('--json', 'print as JSON')
  .option('--lessons <dir>', 'test the course in DIR')
  .option('--only <lesson>', 'test one lesson')
  .action(async (opts: { json?: boolean; lessons?: string; only?: string }) => {
    const { runTestLessons } = await import('./commands/test-lessons.js');
    process.exitCode = await runTestLessons(opts);
  });

program
  .command('map')
  .description('the topology of the network world this runs in (inside a sandbox, that sandbox; else this host, read-only)')
  .option('--json', 'print the graph as JSON')
  .option('--width <n>', 'draw for this many columns', (v) => Number(v))
  .action(async (opts: { json?: boolean; width?: number }) => {
    const { runMap } = await import('./commands/map.js');
    process.exitCode = await runMap(opts);
  });

program
  .command('diagnose')
  .description('why FROM cannot reach TO: walks the path hop by hop and names the first that cannot pass')
  .argument('<from>', 'a namespace name, or host')
  .argument('<to>', 'an address, optionally with :PORT (TCP)')
  .option('--json', 'print as JSON')
  .option('--probe', 'on a real machine, also send one ping or TCP connect from FROM (inside a sandbox it always does)')
  .action(async (from: string, to: string, opts: { json?: boolean; probe?: boolean }) => {
    const { runDiagnose } = await import('./commands/diagnose.js');
    process.exitCode = await runDiagnose(from, to, opts);
  });

program
  .command('doctor')
  .description('check this machine: tools, kernel features, permissions, with the commands that fix them')
  .option('--json', 'print the findings as JSON')
  .action(async (opts: { json?: boolean }) => {
    const { runDoctor } = await import('./commands/doctor.js');
    process.exitCode = await runDoctor(opts);
  });

function unknownCommand(word: string): AbortError {
  const names = program.commands.map((c) => c.name());
  const near = names.find((n) => n.startsWith(word.slice(0, 2)) || word.startsWith(n.slice(0, 3)));
  return new AbortError(
    `unknown command "${word}".${near ? ` Did you mean \`netns-tutor ${near}\`?` : ''}`,
    `Commands: ${names.join(', ')}. Run netns-tutor --help for what each does, or netns-tutor alone for the tutor.`,
  );
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`${renderError(err)}\n`);
  process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
}
