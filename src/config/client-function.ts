/**
 * The stack's client function `<stack>-client`: how it is packaged and configured. The package
 * is made by scripts/build-lambda.mjs (esbuild's target is this runtime's Node.js) and read by
 * src/lambda/function-package.ts.
 *
 * Node.js 22: Lambda's nodejs20.x left standard support on 30 April 2026; nodejs22.x has it until
 * 30 April 2027 (https://docs.aws.amazon.com/lambda/latest/dg/lambda-runtimes.html). Moving to
 * nodejs24.x is this constant and esbuild's target. arm64 (Graviton): cheaper per millisecond,
 * and the bundle is plain JavaScript with no native module.
 */
export const CLIENT_RUNTIME = 'nodejs22.x';
export const CLIENT_ARCHITECTURE = 'arm64';
/** index.js in the zip, its export `handler`. */
export const CLIENT_HANDLER = 'index.handler';
/** The handler answers a blocked path with a typed timeout after 10 s; this leaves it room. */
export const CLIENT_TIMEOUT_SECONDS = 30;
/** More memory is more CPU on Lambda: 256 MB signs and handshakes TLS without a slow cold start. */
export const CLIENT_MEMORY_MB = 256;

/** The deployment package: the zip's bytes and its digest as Lambda reports it. */
export interface ClientPackage {
  zip: Uint8Array;
  /** Base64 SHA-256 of the zip: Lambda's CodeSha256. */
  sha256: string;
}

/** Where Lambda writes what a function logs (it creates the group on the first invocation). */
export function functionLogGroup(functionName: string): string {
  return `/aws/lambda/${functionName}`;
}
