// The sandbox's cap on processes and threads, and the sentence that explains it to a learner who
// hit it. Pure. (The temp dirs' size caps are mount options in init-script.ts.)

/** Processes and threads a sandbox may have at once: lessons use a few dozen (node alone has ~10
 *  threads); a fork bomb stops here, with the host and the tutor untouched. */
export const MAX_SANDBOX_TASKS = 1024;

/** Said once under a command's errors when it hit the cap on processes (bash: "fork: retry:
 *  Resource temporarily unavailable", others: "Cannot fork", "Resource temporarily unavailable"). */
export const TASK_LIMIT_SENTENCE = `netns-tutor: this sandbox allows ${MAX_SANDBOX_TASKS} processes and threads at once, and that many are running: end some (\`jobs\`, \`kill %1\`, \`pkill sleep\`) and try again. The host is not affected.`;

/** `stderr`, with TASK_LIMIT_SENTENCE added where a fork failed for want of room. */
export function explainTaskLimit(stderr: string): string {
  if (!/(fork|clone|thread)[^\n]*(Resource temporarily unavailable|EAGAIN)|Cannot fork/i.test(stderr) || stderr.includes(TASK_LIMIT_SENTENCE)) return stderr;
  return `${stderr}${stderr.endsWith('\n') || stderr === '' ? '' : '\n'}${TASK_LIMIT_SENTENCE}\n`;
}
