// The entry point: parses the command line, runs one command, renders any error once and sets
// the exit code. Commands live in src/commands/, one file each, loaded only when used.
import { Command } from 'commander';
import { renderError } from './errors.js';

const program = new Command()
  .name('netns-tutor')
  .description('Learn Linux and container networking by doing, in a sandbox of real namespaces.')
  .version('0.1.0')
  .showHelpAfterError('(run netns-tutor --help for the commands)');

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
  .command('doctor')
  .description('check this machine: tools, kernel features, permissions, with the commands that fix them')
  .option('--json', 'print the findings as JSON')
  .action(async (opts: { json?: boolean }) => {
    const { runDoctor } = await import('./commands/doctor.js');
    process.exitCode = await runDoctor(opts);
  });

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`${renderError(err)}\n`);
  process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 1;
}
