import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { readClientPackage } from '../../../src/lambda/function-package.js';

describe("reading the client function's package", () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("gives the zip and its digest in Lambda's CodeSha256 form (base64 SHA-256)", async () => {
    dir = mkdtempSync(join(tmpdir(), 'client-package-'));
    const bytes = Buffer.from('PK\u0005\u0006 not really a function');
    writeFileSync(join(dir, 'client.zip'), bytes);

    const pkg = await readClientPackage(pathToFileURL(join(dir, 'client.zip')));

    expect(Buffer.from(pkg.zip).equals(bytes)).toBe(true);
    expect(pkg.sha256).toBe(createHash('sha256').update(bytes).digest('base64'));
  });

  it('says how to build it when it is missing', async () => {
    const missing = pathToFileURL(join(tmpdir(), 'no-such-dir', 'client.zip'));

    await expect(readClientPackage(missing)).rejects.toMatchObject({ code: 'ClientPackageMissing', hint: expect.stringContaining('npm run build') });
  });
});
