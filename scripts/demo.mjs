// The README's demo command (`npm run demo`): installs the npm packages if needed, builds the CLI
// and the function it deploys, then walks a stack through its life (scripts/demo-walk.mjs).
import { build, ensureDependencies } from './setup.mjs';

ensureDependencies();
build();
await import('./demo-walk.mjs');
