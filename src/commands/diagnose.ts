// `netns-tutor diagnose`: not built yet (see the open issue).
import { AbortError } from '../errors.js';

export async function runDiagnose(..._args: unknown[]): Promise<number> {
  throw new AbortError('`netns-tutor diagnose` is not built yet.');
}
