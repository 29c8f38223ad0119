import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, type Unzipped } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error plain ES module run by `npm run build`, no type declarations
import { BUNDLE_FILE, bundleClient, NODE_TARGET, zipClient } from '../../../scripts/build-lambda.mjs';
import { CLIENT_HANDLER, CLIENT_RUNTIME } from '../../../src/config/client-function.js';

interface Bundle {
  code: Uint8Array;
  metafile: { inputs: Record<string, unknown> };
}

/** The central directory entry of the zip's only file: its Unix mode and its DOS date and time. */
function centralEntry(zip: Uint8Array): { mode: number; dosTime: number } {
  const view = Buffer.from(zip);
  const at = view.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  return { mode: view.readUInt32LE(at + 38) >>> 16, dosTime: view.readUInt32LE(at + 12) };
}

describe("the client function's package (scripts/build-lambda.mjs)", () => {
  let bundle: Bundle;
  let zip: Uint8Array;
  let files: Unzipped;
  let task: string;

  beforeAll(async () => {
    bundle = (await bundleClient()) as Bundle;
    zip = zipClient(bundle.code) as Uint8Array;
    files = unzipSync(zip);
    task = mkdtempSync(join(tmpdir(), 'client-zip-'));
  });
  afterAll(() => rmSync(task, { recursive: true, force: true }));

  it('is byte for byte the same when built again from the same source, so its CodeSha256 is too', async () => {
    const again = (await bundleClient()) as Bundle;

    expect(Buffer.from(zipClient(again.code) as Uint8Array).equals(Buffer.from(zip))).toBe(true);
  });

  it('is the same in any time zone, with a fixed time and a readable regular file', () => {
    const zone = process.env.TZ;
    try {
      process.env.TZ = 'Pacific/Kiritimati';
      const elsewhere = zipClient(bundle.code) as Uint8Array;

      expect(Buffer.from(elsewhere).equals(Buffer.from(zip))).toBe(true);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
    const entry = centralEntry(zip);
    expect(entry.mode).toBe(0o100644);
    expect(entry.dosTime).toBe((0 << 25) | (1 << 21) | (1 << 16));
  });

  it("holds one file whose export is the handler Lambda's setting names, as a CommonJS module", () => {
    expect(Object.keys(files)).toEqual([BUNDLE_FILE]);
    const [file, exported] = CLIENT_HANDLER.split('.');
    expect(`${file}.js`).toBe(BUNDLE_FILE);
    writeFileSync(join(task, BUNDLE_FILE), files[BUNDLE_FILE]!);

    const loaded = createRequire(join(task, 'require.cjs'))(`./${BUNDLE_FILE}`) as Record<string, unknown>;

    expect(typeof loaded[exported!]).toBe('function');
  });

  it('targets the Node.js of the runtime the function is created with', () => {
    expect(CLIENT_RUNTIME).toBe(`nodejs${NODE_TARGET.replace(/^node/, '')}.x`);
  });

  it('bundles pg and the RDS signer, and from src/ only the function and plain config', () => {
    const inputs = Object.keys(bundle.metafile.inputs);
    const fromSrc = inputs.filter((i) => i.startsWith('src/'));

    expect(inputs.some((i) => i.includes('node_modules/pg/'))).toBe(true);
    expect(inputs.some((i) => i.includes('node_modules/@aws-sdk/rds-signer/'))).toBe(true);
    expect(fromSrc).toContain('src/lambda/handler.ts');
    expect(fromSrc.filter((i) => !/^src\/(lambda|config)\//.test(i))).toEqual([]);
  });

  it("leaves out AWS service clients and the SDK's credential chain, which the function never uses", () => {
    const inputs = Object.keys(bundle.metafile.inputs);

    expect(inputs.filter((i) => /node_modules\/@aws-sdk\/(client-|credential-provider|nested-clients|token-providers)/.test(i))).toEqual([]);
  });

  it('weighs less than a quarter of the 1 MB the package aims to stay well under', () => {
    expect(zip.length).toBeLessThan(256 * 1024);
  });
});
