import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CliError } from '../errors.js';

/**
 * How the stack's function is packaged (scripts/build-lambda.mjs makes the zip). Node.js 22:
 * Lambda's nodejs20.x left standard support on 30 April 2026; nodejs22.x has it until 30 April
 * 2027 (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). Moving to nodejs24.x
 * is this constant and esbuild's target (NODE_TARGET). arm64 (Graviton): cheaper per
 * millisecond, and the bundle is plain JavaScript with no native module.
 */
export const CLIENT_RUNTIME = 'nodejs22.x';
export const CLIENT_ARCHITECTURE = 'arm64';
/** index.js in the zip, its export `handler`. */
export const CLIENT_HANDLER = 'index.handler';

export interface ClientPackage {
  zip: Uint8Array;
  /** Base64 SHA-256 of the zip, as Lambda reports it in CodeSha256. */
  sha256: string;
}

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
