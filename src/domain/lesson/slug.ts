// Step ids: a heading turned into a slug ("Create the bridge" -> "create-the-bridge").

export const ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function slugifyHeading(heading: string): string {
  return heading
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/`/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}
