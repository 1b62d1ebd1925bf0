// Bundles the CLI into one ESM file: one module load at start-up instead of hundreds.
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';

// yoga-layout (Ink's layout engine) reads its inline wasm with fetch() wherever fetch exists; in
// Node that first loads undici (~30-60 ms of the tutor's first frame). The CLI fetches nothing:
// let yoga take its other path and decode the inline base64 directly.
const yogaWithoutFetch = {
  name: 'yoga-without-fetch',
  setup(b) {
    b.onLoad({ filter: /yoga-layout[\\/].*yoga-wasm-base64-esm\.js$/ }, async (args) => ({
      contents: (await readFile(args.path, 'utf8')).replaceAll('typeof fetch', 'typeof undefined'),
      loader: 'js',
    }));
  },
};

// Built aside, then moved into dist/ file by file, cli.js last: dist/cli.js is never missing, so
// a CLI started meanwhile (a test running beside a rebuild) finds a whole build, old or new.
const out = `dist.tmp-${process.pid}`;
await rm(out, { recursive: true, force: true });
await build({
  entryPoints: ['src/cli.ts'],
  outdir: out,
  entryNames: '[name]',
  chunkNames: 'chunks/[name]-[hash]',
  bundle: true,
  // commands are loaded lazily: each is its own chunk
  splitting: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  jsx: 'automatic',
  sourcemap: 'linked',
  logLevel: 'warning',
  // ink imports react-devtools-core only when DEV is set; it is not installed
  external: ['react-devtools-core'],
  banner: {
    // some bundled CommonJS dependencies call require()
    js: "import { createRequire as __ntCreateRequire } from 'node:module'; const require = __ntCreateRequire(import.meta.url);",
  },
  define: { 'process.env.NODE_ENV': '"production"' },
  plugins: [yogaWithoutFetch],
});

/** Relative paths of the files under `dir`. */
async function filesUnder(dir, prefix = '') {
  const entries = await readdir(join(dir, prefix), { withFileTypes: true }).catch(() => []);
  const files = [];
  for (const e of entries) {
    const rel = join(prefix, e.name);
    if (e.isDirectory()) files.push(...(await filesUnder(dir, rel)));
    else files.push(rel);
  }
  return files;
}

const built = await filesUnder(out);
const entry = built.filter((f) => f === 'cli.js');
for (const file of [...built.filter((f) => f !== 'cli.js'), ...entry]) {
  await mkdir(join('dist', file, '..'), { recursive: true });
  await rename(join(out, file), join('dist', file));
}
// chunk names carry a hash: what this build did not write is an older build's
const kept = new Set(built);
for (const file of await filesUnder('dist')) if (!kept.has(file)) await rm(join('dist', file), { force: true });
await rm(out, { recursive: true, force: true });
