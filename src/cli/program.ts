// The command line (loaded by main.ts): parses it, runs one command, renders any error once (as
// JSON under --json) and sets the exit code: 0 passed, 1 failed, 2 usage error. Commands live in
// src/cli/, one file each, loaded only when used.
import { Command, CommanderError } from 'commander';
import { EXIT_USAGE, exitCodeOf, renderError, renderErrorJson, UsageError } from '../domain/errors.js';

/** package.json's version, written in by the bundler (scripts/build.mjs). */
declare const NETNS_TUTOR_VERSION: string;

/** --json anywhere: errors, usage errors too, are printed as JSON on stdout. */
const jsonWanted = process.argv.includes('--json');

// NO_COLOR (no-color.org) for chalk, which reads only FORCE_COLOR; FORCE_COLOR wins, as in Node
if (process.env.NO_COLOR && process.env.FORCE_COLOR === undefined) process.env.FORCE_COLOR = '0';

/** The course folder: --lessons DIR, else $NETNS_TUTOR_LESSONS, else the built-in course. */
const courseDir = (flag: string | undefined): string | undefined => flag ?? (process.env.NETNS_TUTOR_LESSONS || undefined);

const program = new Command()
  .name('netns-tutor')
  .description('Learn Linux and container networking by doing, in a sandbox of real namespaces.')
  .version(NETNS_TUTOR_VERSION)
  .showHelpAfterError('(run netns-tutor --help for the commands)')
  // `netns-tutor help COMMAND` (commander adds it only to programs without an action of their own)
  .helpCommand('help [command]', 'the help of one command')
  // usage errors are thrown (exit 2), not exited on with 1 like a failing check
  .exitOverride()
  // under --json, commander's own error text (and the hint after it) gives way to the JSON error
  .configureOutput({ writeErr: (text) => (jsonWanted ? undefined : process.stderr.write(text)) })
  // the tutor's own options (--lessons) only before a command, so `test-lessons --lessons DIR`
  // reaches the command instead of being taken by the tutor
  .enablePositionalOptions();

program
  .option('--lessons <dir>', 'run the course in DIR instead of the built-in one')
  .option('--progress <file>', "keep progress in FILE (default: the course's file in $XDG_STATE_HOME/netns-tutor; env NETNS_TUTOR_PROGRESS)")
  // a word that is no command reaches the tutor's action: say so instead of "too many arguments"
  .allowExcessArguments(true)
  .action(async (opts: { lessons?: string; progress?: string }) => {
    const [word] = program.args;
    if (word !== undefined) throw unknownCommand(word);
    const { runTutor } = await import('./tutor.js');
    process.exitCode = await runTutor({ ...opts, lessons: courseDir(opts.lessons) });
  });

program
  .command('shell')
  .description('an interactive bash in a fresh sandbox (or -c CMD: run CMD there and exit with its status)')
  .option('-c, --command <cmd>', 'run CMD in the sandbox and exit with its status')
  .option('--attach', "open the shell in the running tutor's sandbox")
  .option('--at <lesson[/step]>', 'start in the state that step begins with (the course replayed up to it)')
  .option('--lessons <dir>', 'with --at: the course in DIR')
  .action(async (opts: { command?: string; attach?: boolean; at?: string; lessons?: string }) => {
    const { runShellCommand } = await import('./shell.js');
    process.exitCode = await runShellCommand({ ...opts, lessons: courseDir(opts.lessons) });
  });

program
  .command('lessons')
  .description('the course: lessons and their steps, with your progress')
  .option('--json', 'print as JSON')
  .option('--lessons <dir>', 'read the course from DIR')
  .option('--progress <file>', 'read progress from FILE (default: as the tutor does)')
  .action(async (opts: { json?: boolean; lessons?: string; progress?: string }) => {
    const { runLessons } = await import('./lessons.js');
    process.exitCode = await runLessons({ ...opts, lessons: courseDir(opts.lessons) });
  });

program
  .command('check')
  .description("evaluate a step's checks against the network world this runs in (inside `netns-tutor shell`, that sandbox)")
  .argument('<lesson>', 'lesson id or number')
  .argument('<step>', 'step id or number')
  .option('--json', 'print as JSON')
  .option('--junit', 'print as JUnit XML (one testcase for the step)')
  .option('--lessons <dir>', 'read the course from DIR')
  .action(async (lesson: string, step: string, opts: { json?: boolean; junit?: boolean; lessons?: string }) => {
    const { runCheck } = await import('./check.js');
    process.exitCode = await runCheck(lesson, step, { ...opts, lessons: courseDir(opts.lessons) });
  });

program
  .command('test-lessons')
  .description("the course's self-test: every step fails before its solution and passes after it")
  .option('--json', 'print as JSON')
  .option('--junit', 'print as JUnit XML (one testcase a step)')
  .option('--lessons <dir>', 'test the course in DIR')
  .option('--only <lesson>', 'test one lesson')
  .action(async (opts: { json?: boolean; junit?: boolean; lessons?: string; only?: string }) => {
    const { runTestLessons } = await import('./test-lessons.js');
    process.exitCode = await runTestLessons({ ...opts, lessons: courseDir(opts.lessons) });
  });

program
  .command('drill')
  .description('practise troubleshooting: a network broken by 1-3 hidden faults, a ticket, a shell to fix it in, a debrief')
  .option('--seed <n>', 'draw this drill (the seed is shown; the same seed gives the same drill)')
  .option('--topic <topic>', 'faults about this topic (routing, nat, dnat, bridge, firewall, kubernetes...)')
  .option('--level <level>', 'faults at this level or below: 1, 2 or 3')
  .option('--answers <file>', 'run this bash script in the drill instead of a shell (for autograding)')
  .option('--json', 'print the result as JSON')
  .option('--junit', 'print the result as JUnit XML (one testcase a path)')
  .option('--self-test <count>', 'check the drills of seeds 0..COUNT-1: unsolved at start, solved by the fixes, not by opening the firewall')
  .action(async (opts: { selfTest?: string; seed?: string; topic?: string; level?: string; answers?: string; json?: boolean; junit?: boolean }) => {
    const { runDrill } = await import('./drill.js');
    process.exitCode = await runDrill(opts);
  });

program
  .command('exam')
  .description('a mock exam (CKA/LFCS style): weighted tasks, a timer, no hints; graded on the end state')
  .option('--seed <n>', 'draw this exam (the same seed gives the same tasks)')
  .option('--minutes <m>', 'time allowed (default 60)')
  .option('--tasks <n>', 'how many tasks (default 8)')
  .option('--answers <file>', 'run the `# task N` sections of FILE in the tasks instead of a terminal (for autograding)')
  .option('--json', 'print the report as JSON')
  .option('--junit', 'print the report as JUnit XML (one testcase a task)')
  .option('--lessons <dir>', 'take the building tasks from the course in DIR')
  .option('--self-test', "check the bank: every task fails at its start and passes after its reference solution")
  .action(async (opts: { selfTest?: boolean; seed?: string; minutes?: string; tasks?: string; answers?: string; json?: boolean; junit?: boolean; lessons?: string }) => {
    const { runExam } = await import('./exam.js');
    process.exitCode = await runExam({ ...opts, lessons: courseDir(opts.lessons) });
  });

program
  .command('report')
  .description("a learner's progress in the course, per lesson (for them, or as JSON/JUnit for a grader)")
  .option('--json', 'print as JSON')
  .option('--junit', 'print as JUnit XML (one testcase a step)')
  .option('--lessons <dir>', 'the course in DIR (each course keeps its own progress)')
  .option('--progress <file>', 'read progress from FILE (default: as the tutor does)')
  .action(async (opts: { json?: boolean; junit?: boolean; lessons?: string; progress?: string }) => {
    const { runReport } = await import('./report.js');
    process.exitCode = await runReport({ ...opts, lessons: courseDir(opts.lessons) });
  });

program
  .command('map')
  .description('the topology of the network world this runs in (inside a sandbox, that sandbox; else this host, read-only)')
  .option('--json', 'print the graph as JSON')
  .option('--width <n>', 'draw for this many columns', (v) => Number(v))
  .action(async (opts: { json?: boolean; width?: number }) => {
    const { runMap } = await import('./map.js');
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
    const { runDiagnose } = await import('./diagnose.js');
    process.exitCode = await runDiagnose(from, to, opts);
  });

program
  .command('doctor')
  .description('check this machine: tools, kernel features, permissions, with the commands that fix them')
  .option('--json', 'print the findings as JSON')
  .action(async (opts: { json?: boolean }) => {
    const { runDoctor } = await import('./doctor.js');
    process.exitCode = await runDoctor(opts);
  });

program
  .command('completion')
  .description('a bash or zsh completion script (commands, options, lesson ids): eval "$(netns-tutor completion bash)"')
  .argument('<shell>', 'bash or zsh')
  .option('--lesson-ids', "print the course's lesson ids, one a line (the script asks for them)")
  .action(async (shell: string, opts: { lessonIds?: boolean }) => {
    const { runCompletion } = await import('./completion.js');
    process.exitCode = await runCompletion(program, shell, { lessonIds: opts.lessonIds, lessons: courseDir(undefined) });
  });

function unknownCommand(word: string): UsageError {
  const names = program.commands.map((c) => c.name());
  const near = names.find((n) => n.startsWith(word.slice(0, 2)) || word.startsWith(n.slice(0, 3)));
  return new UsageError(
    `unknown command "${word}".${near ? ` Did you mean \`netns-tutor ${near}\`?` : ''}`,
    `Commands: ${names.join(', ')}. Run netns-tutor --help for what each does, or netns-tutor alone for the tutor.`,
  );
}

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    // --help, --version, `help`: printed already, and not an error
    if (err.exitCode === 0) process.exitCode = 0;
    else {
      process.exitCode = EXIT_USAGE;
      if (jsonWanted) process.stdout.write(`${renderErrorJson(new UsageError(err.message.replace(/^error: /, ''), 'Run netns-tutor help for the commands and their options.'))}\n`);
    }
  } else {
    process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : exitCodeOf(err);
    if (jsonWanted) process.stdout.write(`${renderErrorJson(err)}\n`);
    else process.stderr.write(`${renderError(err)}\n`);
  }
}
