// `netns-tutor lessons`: not built yet (see the open issue).
import { AbortError } from '../errors.js';

export async function runLessons(..._args: unknown[]): Promise<number> {
  throw new AbortError('`netns-tutor lessons` is not built yet.');
}
