// `netns-tutor diagnose FROM TO[:PORT] [--json]`: why FROM can or cannot reach TO, hop by hop,
// in the world this process runs in (inside a sandbox, that sandbox; else this machine).
import { createLocalRunner } from '../exec/runner.js';
import { renderDiagnosis } from '../core/diagnose/render-diagnosis.js';
import { diagnose, parseTarget } from '../diagnose/diagnose.js';

export async function runDiagnose(from: string, to: string, opts: { json?: boolean }): Promise<number> {
  const target = parseTarget(to);
  const d = await diagnose(createLocalRunner(process.env.NETNS_TUTOR_SANDBOX ? 'this sandbox' : 'this host'), from, target);
  process.stdout.write(opts.json ? `${JSON.stringify(d, null, 2)}\n` : renderDiagnosis(d));
  return d.verdict === 'reachable' ? 0 : 1;
}
