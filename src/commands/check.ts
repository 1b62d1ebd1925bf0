// `netns-tutor check`: not built yet (see the open issue).
import { AbortError } from '../errors.js';

export async function runCheck(..._args: unknown[]): Promise<number> {
  throw new AbortError('`netns-tutor check` is not built yet.');
}
