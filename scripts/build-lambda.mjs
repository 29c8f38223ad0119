// Bundles the stack's client function (src/lambda/handler.ts) with esbuild into one CommonJS
// file, and zips it with fflate into dist/lambda/client.zip, which the package ships (`files`:
// dist), so `npx` users need no build tools. Part of `npm run build`.
//
// Deterministic: the same source gives the same bytes, and so the same CodeSha256 on Lambda,
// which is how a re-run of `up` tells that the deployed code is current.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { zipSync } from 'fflate';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

export const ENTRY = 'src/lambda/handler.ts';
/** The file in the zip; the function's handler setting is `index.handler` (src/config/client-function.ts). */
export const BUNDLE_FILE = 'index.js';
/** esbuild's target, the runtime's Node.js major (nodejs22.x). */
export const NODE_TARGET = 'node22';
export const CLIENT_ZIP = join(root, 'dist', 'lambda', 'client.zip');

/**
 * The SDK's default credential chain (SSO, INI files, processes, instance metadata, with their
 * clients: about 260 KB) is imported by @aws-sdk/rds-signer but only used when no credentials
 * are passed. The function always passes the execution role's (src/lambda/lambda-credentials.ts),
 * so the chain is left out of the bundle.
 */
const omitCredentialChain = {
  name: 'omit-credential-chain',
  setup(b) {
    b.onResolve({ filter: /^@aws-sdk\/credential-providers$/ }, (args) => ({ path: args.path, namespace: 'omitted' }));
    b.onLoad({ filter: /.*/, namespace: 'omitted' }, () => ({
      contents:
        'export function fromNodeProviderChain() {\n' +
        '  throw new Error("The credential chain is not bundled: pass credentials to the signer.");\n' +
        '}\n',
      loader: 'js',
    }));
  },
};

/** The bundled handler as bytes, and esbuild's metafile (what went into it). */
export async function bundleClient() {
  const result = await build({
    absWorkingDir: root,
    entryPoints: [ENTRY],
    outfile: BUNDLE_FILE,
    write: false,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: NODE_TARGET,
    minify: true,
    // ES module builds of the SDK, which tree-shake better than their CommonJS builds.
    mainFields: ['module', 'main'],
    // pg loads these only for its native binding and on Cloudflare Workers, never here.
    external: ['pg-native', 'pg-cloudflare'],
    plugins: [omitCredentialChain],
    metafile: true,
    logLevel: 'warning',
  });
  return { code: result.outputFiles[0].contents, metafile: result.metafile };
}

/**
 * A zip whose bytes depend only on the code: a fixed time (1980-01-01 00:00, the earliest a zip
 * holds; built from local time because fflate writes local time, so every time zone gives the
 * same bytes) and fixed Unix permissions (a regular file, rw-r--r--).
 */
export function zipClient(code) {
  const fixed = { mtime: new Date(1980, 0, 1, 0, 0, 0), os: 3, attrs: 0o100644 << 16, level: 9 };
  return zipSync({ [BUNDLE_FILE]: [code, fixed] });
}

async function main() {
  const { code } = await bundleClient();
  const zip = zipClient(code);
  mkdirSync(dirname(CLIENT_ZIP), { recursive: true });
  writeFileSync(CLIENT_ZIP, zip);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  process.stdout.write(`dist/lambda/client.zip: ${kb(zip.length)} (${BUNDLE_FILE} ${kb(code.length)} unzipped)\n`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await main();
