// `netns-tutor map`: not built yet (see the open issue).
import { AbortError } from '../errors.js';

export async function runMap(..._args: unknown[]): Promise<number> {
  throw new AbortError('`netns-tutor map` is not built yet.');
}
