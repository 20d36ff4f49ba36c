// Bundles the extension into dist/extension.js, loaded at activation, and what it loads only when first
// needed: dist/tokens.js (the token worker with gpt-tokenizer's encodings, megabytes), dist/catalogue.js
// (gpt-tokenizer's model catalogue with its prices), dist/results.js (the Results engine), dist/flows.js (the
// Create, Retry and Export Combined flows), and the Results page (browser code, loaded only when a Results panel
// opens) into dist/webview/ with the codicon font it uses.
const esbuild = require('esbuild');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Prints errors in the format the `$esbuild-watch` problem matcher reads. */
const problemMatcherPlugin = {
  name: 'esbuild-problem-matcher',
  setup(build) {
    build.onStart(() => console.log('[watch] build started'));
    build.onEnd((result) => {
      for (const { text, location } of result.errors) {
        console.error(`✘ [ERROR] ${text}`);
        if (location) console.error(`    ${location.file}:${location.line}:${location.column}:`);
      }
      console.log('[watch] build finished');
    });
  },
};

/**
 * fetch-blob (under node-fetch) falls back to a 60 KB web-streams polyfill only where Node lacks
 * `stream/web`; every VS Code this extension supports runs Node 20+, so the fallback is never taken.
 */
const dropWebStreamsPolyfill = {
  name: 'drop-web-streams-polyfill',
  setup(build) {
    build.onResolve({ filter: /^web-streams-polyfill(\/|$)/ }, (args) => ({ path: args.path, namespace: 'unused-polyfill' }));
    build.onLoad({ filter: /.*/, namespace: 'unused-polyfill' }, () => ({ contents: 'module.exports = {};' }));
  },
};

/**
 * node-fetch parses multipart bodies only for `Response.formData()`, which the extension never calls
 * (its uploads build their own multipart body): its parser is left out rather than loaded at activation.
 */
const dropMultipartParser = {
  name: 'drop-multipart-parser',
  setup(build) {
    build.onResolve({ filter: /\/utils\/multipart-parser\.js$/ }, (args) => (/node-fetch/.test(args.importer) ? { path: args.path, namespace: 'unused-multipart-parser' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'unused-multipart-parser' }, () => ({
      contents: "exports.toFormData = () => { throw new Error('Response.formData() is not available in this extension.'); };",
    }));
  },
};

/** The codicon stylesheet and font, served to the webview from the extension's own folder. */
function copyCodicons() {
  const fs = require('fs');
  const from = 'node_modules/@vscode/codicons/dist';
  fs.mkdirSync('dist/webview', { recursive: true });
  for (const name of ['codicon.css', 'codicon.ttf']) fs.copyFileSync(`${from}/${name}`, `dist/webview/${name}`);
}

async function main() {
  // A production build must not ship a stale source map from an earlier development build.
  if (production) require('fs').rmSync('dist', { recursive: true, force: true });
  copyCodicons();
  const extension = await esbuild.context({
    entryPoints: { extension: 'src/extension.ts', tokens: 'src/tokens/worker.ts', catalogue: 'src/tokens/catalogue.ts', results: 'src/results/engine.ts', flows: 'src/flows/entry.ts' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    outdir: 'dist',
    external: ['vscode'],
    logLevel: 'silent',
    plugins: [dropWebStreamsPolyfill, dropMultipartParser, problemMatcherPlugin],
  });
  // Its own entry, for the browser: the extension bundle never imports it, so activation does not grow.
  const webview = await esbuild.context({
    entryPoints: { results: 'src/webview/results/main.ts' },
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
    outdir: 'dist/webview',
    logLevel: 'silent',
    plugins: [problemMatcherPlugin],
  });
  const contexts = [extension, webview];
  if (watch) {
    await Promise.all(contexts.map((ctx) => ctx.watch()));
  } else {
    await Promise.all(contexts.map((ctx) => ctx.rebuild()));
    await Promise.all(contexts.map((ctx) => ctx.dispose()));
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
