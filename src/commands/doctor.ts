// `netns-tutor doctor`: placeholder until the doctor lands.
export async function runDoctor(_opts: { json?: boolean }): Promise<number> {
  process.stdout.write('doctor: not yet implemented\n');
  return 1;
}
