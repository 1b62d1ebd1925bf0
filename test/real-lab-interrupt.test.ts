// Ctrl-C's escalation, decided by the reducer (interruptEscalation) and carried out by the real lab
// in a real sandbox: SIGINT stops an ordinary command; a command that ignores SIGINT needs the
// second press (SIGKILL); a shell that ignores SIGINT itself, in a loop of its own with no child to
// kill, needs the third (a new shell). After each, the learner's next command runs.
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../src/app/course/load-course.js';
import { createRealLab } from '../src/app/runtime/real-lab.js';
import type { TutorServices } from '../src/app/runtime/services.js';
import { interruptEscalation } from '../src/domain/session/reduce-session.js';

let lab: TutorServices;

beforeAll(async () => {
  lab = createRealLab(await loadCourse(resolve(import.meta.dirname, 'fixtures/tutor-course')));
  await lab.prepare('basics', 0);
});
afterAll(() => lab.dispose());

/** Runs `command`; once it has printed `ready`, presses Ctrl-C `presses` times, one press per
 *  output line or after a pause, as the reducer escalates them. */
async function runAndPress(command: string, presses: number) {
  let out = '';
  let pressed = 0;
  const press = () => {
    if (pressed < presses) lab.interrupt(interruptEscalation(++pressed));
  };
  const timer = setInterval(() => out.includes('ready') && press(), 300);
  try {
    const r = await lab.run(command, (text) => {
      out += text;
      if (pressed === 0 && out.includes('ready')) press();
    });
    return { ...r, pressed };
  } finally {
    clearInterval(timer);
  }
}

describe("Ctrl-C's escalation in the real lab", () => {
  it('the first press (SIGINT) stops an ordinary command', async () => {
    const r = await runAndPress('echo ready; sleep 1000', 3);
    expect(r).toMatchObject({ outcome: 'interrupted', pressed: 1 });
    expect((await lab.run('echo alive', () => {})).exitCode).toBe(0);
  });

  it('the second press (SIGKILL) ends a command that ignores SIGINT', async () => {
    const r = await runAndPress(`sh -c "trap '' INT; echo ready; sleep 1000"`, 3);
    expect(r).toMatchObject({ outcome: 'interrupted', pressed: 2 });
    let out = '';
    await lab.run('echo alive', (t) => (out += t));
    expect(out).toBe('alive\n');
  });

  it('the third press replaces a shell that ignores SIGINT and loops in itself', async () => {
    await lab.run('__keep=1', () => {});
    const r = await runAndPress(`trap '' INT; echo ready; while :; do :; done`, 3);
    expect(r).toMatchObject({ outcome: 'shell-exited', pressed: 3 });
    let out = '';
    // a new shell: it answers, and the old one's variables are gone
    await lab.run('echo "alive ${__keep:-new}"', (t) => (out += t));
    expect(out).toBe('alive new\n');
  });
});
