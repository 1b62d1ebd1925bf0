// `netns-tutor diagnose FROM TO[:PORT] [--json]`: why FROM can or cannot reach TO, hop by hop,
// in the world this process runs in (inside a sandbox, that sandbox; else this machine).
import { createLocalRunner } from '../world/exec/runner.js';
import { renderDiagnosis } from '../domain/diagnose/render-diagnosis.js';
import { diagnose, parseTarget } from '../app/diagnose/diagnose.js';

export async function runDiagnose(from: string, to: string, opts: { json?: boolean; probe?: boolean }): Promise<number> {
  const target = parseTarget(to);
  const inSandbox = Boolean(process.env.NETNS_TUTOR_SANDBOX);
  // Outside a sandbox no packet is sent unless asked: the walk over the state still runs.
  const probe = inSandbox || opts.probe === true || target.address.startsWith('127.');
  const d = await diagnose(createLocalRunner(inSandbox ? 'this sandbox' : 'this host'), from, target, { probe });
  process.stdout.write(opts.json ? `${JSON.stringify(d, null, 2)}\n` : renderDiagnosis(d));
  return d.verdict === 'reachable' ? 0 : 1;
}
