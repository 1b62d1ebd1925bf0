// `netns-tutor doctor [--json]`: checks this machine's tools and kernel features (the kernel ones
// inside a throwaway sandbox), prints each with the command that fixes it, and exits non-zero
// when something required is missing.
import { evaluateDoctor } from '../domain/doctor/evaluate.js';
import { probeMachine } from '../world/doctor/probe.js';
import { renderDoctor } from '../domain/doctor/render.js';

export async function runDoctor(opts: { json?: boolean }): Promise<number> {
  const probes = await probeMachine();
  const report = evaluateDoctor(probes);
  process.stdout.write(opts.json ? `${JSON.stringify({ ...report, probes }, null, 2)}\n` : renderDoctor(report, probes, process.stdout.columns || 100));
  return report.ok ? 0 : 1;
}
