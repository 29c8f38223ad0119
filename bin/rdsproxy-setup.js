#!/usr/bin/env node
// The SDK warns on Node 20 about its own future releases; this package pins its SDK version,
// so the warning would only be noise on every run.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { main } = await import('../dist/cli.js');
await main(process.argv);
