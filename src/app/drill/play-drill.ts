// Playing a built drill: a person in a bash inside the sandbox (their commands kept, `giveup`
// ends it), or a script run in their place (--answers, for autograders). Returns what was typed
// and whether they gave up.
import { readFileSync } from 'node:fs';
import { runWithTerminal } from '../../world/terminal/run-with-terminal.js';
import { AbortError } from '../../domain/errors.js';
import type { Sandbox } from '../../world/sandbox/sandbox.js';
import { TUTOR_BASHRC, TUTOR_DIR } from '../../domain/sandbox-layout.js';

export interface DrillPlay {
  commands: string[];
  gaveUp: boolean;
}

const HISTORY = `${TUTOR_DIR}/drill-history`;
const GAVE_UP = `${TUTOR_DIR}/drill-gave-up`;
const DRILL_RC_FILE = `${TUTOR_DIR}/drill-rc`;

/** The drill shell's rc: the sandbox's prompt, every command kept as it is typed, and `giveup`. */
const DRILL_RC = `. ${TUTOR_BASHRC}
PS1='\\[\\e[1;36m\\](drill)\\[\\e[0m\\] \\u@\\h:\\w\\$ '
HISTFILE=${HISTORY}
HISTSIZE=10000
HISTCONTROL=
shopt -s histappend
PROMPT_COMMAND='history -a'
giveup() { history -a; : >${GAVE_UP}; exit 0; }
`;

export async function playInTerminal(sandbox: Sandbox): Promise<DrillPlay> {
  await sandbox.run(`cat >${DRILL_RC_FILE} <<'RC'\n${DRILL_RC}RC\n: >${HISTORY}`);
  await runWithTerminal([...sandbox.enterPrefix, 'bash', '--rcfile', DRILL_RC_FILE, '-i'], sandbox.env);
  const r = await sandbox.run(`cat ${HISTORY}; echo; [ -e ${GAVE_UP} ] && echo '#gave-up#'`);
  const lines = r.stdout.split('\n').filter((l) => l.trim() !== '');
  const gaveUp = lines.includes('#gave-up#');
  return { commands: lines.filter((l) => l !== '#gave-up#' && l.trim() !== 'giveup'), gaveUp };
}

/** Reads the answers file (on this machine) and runs it in the sandbox as bash. */
export async function playAnswers(sandbox: Sandbox, file: string): Promise<DrillPlay> {
  let script: string;
  try {
    script = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AbortError(`cannot read the answers file ${file}: ${(e as Error).message}`, 'Give --answers a readable bash script.');
  }
  const r = await sandbox.run(script, { timeoutMs: 120_000 });
  const commands = script.split('\n').filter((l) => l.trim() !== '' && !l.trim().startsWith('#'));
  if (r.outcome !== 'exited') commands.push(`# the answers script did not finish: ${r.outcome}`);
  return { commands, gaveUp: false };
}
