#!/usr/bin/env node
// build-dist.mjs — the npm package's dist/ from worker/ (mk/wasm.mk runs it):
//   dist/index.js    every API, the three kinds' modules embedded
//   dist/attach.js   the same API without the modules' bytes, for threads that
//                    attach rings whose handle brings the module (a Worker's bundle)
//   dist/worklet.js  the AudioWorkletProcessors, self-contained (options.workletURL)
//   dist/*.d.ts      worker/*.d.ts, and attach.d.ts re-exporting index.d.ts
// Each .js minified with a source map that holds its sources.  nodes.js
// embeds the worklet as text, for addModule() from a Blob URL.
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';

const common = {
  bundle: true,
  format: 'esm',
  // neutral: no Node or browser built-ins assumed; es2022 keeps private
  // fields and class fields as written.
  platform: 'neutral',
  target: 'es2022',
  minify: true,
  sourcemap: true,
  legalComments: 'none',
  logLevel: 'warning',
  // The package's internal members (_region, _usable, ...) get short names:
  // nothing outside one bundle sees them.
  mangleProps: /^_[a-zA-Z]/,
};

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');

await esbuild.build({ ...common, entryPoints: ['worker/audio/worklet.js'], outfile: 'dist/worklet.js' });
// Not minified: the text keeps its names (registerProcessor(name, cls)), for a
// reader of the Blob URL's source; bundling alone drops the comments.
const worklet = await esbuild.build({ ...common, entryPoints: ['worker/audio/worklet.js'], minify: false, sourcemap: false, write: false });
const workletText = worklet.outputFiles[0].text;

// worklet.js imported as text (nodes.js) is the bundled build of it.
const workletAsText = {
  name: 'worklet-as-text',
  setup(b) {
    b.onLoad({ filter: /[\\/]worker[\\/]audio[\\/]worklet\.js$/ }, (args) =>
      args.with?.type === 'text' ? { contents: workletText, loader: 'text' } : undefined,
    );
  },
};

// attach.js: every module's bytes left out (core/wasm.js then says where to get them).
const noModuleBytes = {
  name: 'no-module-bytes',
  setup(b) {
    b.onLoad({ filter: /rbs-[a-z]+\.hex\.js$/ }, () => ({ contents: 'export default undefined;', loader: 'js' }));
  },
};

const embeds = (yes) => ({ define: { RBS_EMBEDS_MODULES: String(yes) } });
await esbuild.build({ ...common, ...embeds(true), entryPoints: { index: 'worker/index.js' }, outdir: 'dist', plugins: [workletAsText] });
await esbuild.build({ ...common, ...embeds(false), entryPoints: { attach: 'worker/index.js' }, outdir: 'dist', plugins: [workletAsText, noModuleBytes] });

for (const f of readdirSync('worker').filter((n) => n.endsWith('.d.ts'))) copyFileSync(`worker/${f}`, `dist/${f}`);
writeFileSync(
  'dist/attach.d.ts',
  "// 'ring-buffer-safe/attach': the API of 'ring-buffer-safe' without the embedded WebAssembly\n" +
    '// modules; a thread gets its module from the first handle it attaches.\n' +
    "export * from './index.js';\n",
);
