// Bundles the CLI and every runtime dependency into dist/ (minified, no source maps): the package
// ships dist/ and installs nothing else, and start-up loads one file instead of hundreds.
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { build } from 'esbuild';
import { highlightCore } from './highlight-core.mjs';

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

// Ink connects to React DevTools when DEV=true, importing react-devtools-core (not shipped): a
// learner's unrelated DEV=true made the tutor warn or crash. The bundle has no dev mode at all.
const inkWithoutDevtools = {
  name: 'ink-without-devtools',
  setup(b) {
    // isDev() reads DEV at run time: made `false` at build time, the minifier drops what it guarded
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/](ink|reconciler)\.js$/ }, async (args) => {
      const source = await readFile(args.path, 'utf8');
      if (!source.includes('isDev()')) throw new Error(`${args.path} no longer calls isDev(): update ink-without-devtools in scripts/build.mjs`);
      return { contents: source.replaceAll('isDev()', 'false'), loader: 'js' };
    });
    b.onLoad({ filter: /[\\/]ink[\\/]build[\\/]devtools\.js$/ }, () => ({ contents: 'export {};', loader: 'js' }));
  },
};

/** The version the CLI reports: package.json's, fixed at build time. */
const { version } = JSON.parse(await readFile('package.json', 'utf8'));

// Built aside, then moved into dist/ file by file, cli.js last: dist/cli.js is never missing, so
// a CLI started meanwhile (a test running beside a rebuild) finds a whole build, old or new.
const out = `dist.tmp-${process.pid}`;
await rm(out, { recursive: true, force: true });
const { metafile } = await build({
  entryPoints: { cli: 'src/cli/main.ts' },
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
  // minified and without maps: 2.4 MB instead of 15 MB (9 MB were maps nothing loaded); names are
  // kept so that a bug report's stack still says which function failed
  minify: true,
  keepNames: true,
  sourcemap: false,
  legalComments: 'none',
  metafile: true,
  logLevel: 'warning',
  banner: {
    // some bundled CommonJS dependencies call require()
    js: "import { createRequire as __ntCreateRequire } from 'node:module'; const require = __ntCreateRequire(import.meta.url);",
  },
  define: { 'process.env.NODE_ENV': '"production"', NETNS_TUTOR_VERSION: JSON.stringify(version) },
  plugins: [yogaWithoutFetch, inkWithoutDevtools, highlightCore],
});

/** The licences of the packages bundled into dist/ (their MIT/ISC/BSD terms ask that the notice
 *  travel with the code), one after another, found from the inputs esbuild read. */
async function thirdPartyNotices(meta) {
  const roots = new Set();
  for (const input of Object.keys(meta.inputs)) {
    const m = /^(.*node_modules\/(?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (m) roots.add(m[1]);
  }
  const parts = [];
  for (const root of [...roots].sort()) {
    const pkg = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    const names = await readdir(root);
    const file = names.find((n) => /^(licen[cs]e|copying)([-.]|$)/i.test(n));
    const text = file ? await readFile(join(root, file), 'utf8') : `(no licence file; package.json says ${pkg.license ?? 'nothing'})`;
    parts.push(`${pkg.name}@${pkg.version} (${pkg.license ?? 'unknown'})\n\n${text.trim()}\n`);
  }
  return `netns-tutor bundles these packages into dist/:\n\n${parts.join(`\n${'-'.repeat(72)}\n\n`)}`;
}

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

await writeFile(join(out, 'THIRD-PARTY-NOTICES.txt'), await thirdPartyNotices(metafile));

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
