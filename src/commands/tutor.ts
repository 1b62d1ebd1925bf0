// `netns-tutor `: not built yet (see the open issue).
import { AbortError } from '../errors.js';

export async function runTutor(..._args: unknown[]): Promise<number> {
  throw new AbortError('`netns-tutor ` is not built yet.');
}
