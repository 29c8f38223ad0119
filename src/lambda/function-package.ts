import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { ClientPackage } from '../config/client-function.js';
import { CliError } from '../errors.js';

/** The zip's digest in Lambda's CodeSha256 form: the base64 SHA-256 of the deployment package. */
export function codeSha256(zip: Uint8Array): string {
  return createHash('sha256').update(zip).digest('base64');
}

/** The built function the package ships: dist/lambda/client.zip, beside this file once compiled. */
export async function readClientPackage(location = new URL('./client.zip', import.meta.url)): Promise<ClientPackage> {
  try {
    const zip = new Uint8Array(await readFile(location));
    return { zip, sha256: codeSha256(zip) };
  } catch (err) {
    throw new CliError(`The client function's package is missing (${location.pathname}).`, {
      code: 'ClientPackageMissing',
      cause: err,
      hint: 'It is built with the CLI: run `npm run build` in a clone of the repository (the npm package ships it).',
    });
  }
}
