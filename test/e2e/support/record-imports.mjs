// Loaded with `node --import`: records every module URL the process resolves into the file
// named by RECORD_IMPORTS_FILE, so a test can see which packages a command loaded.
import { register } from 'node:module';

register(new URL('./record-imports-hooks.mjs', import.meta.url), {
  data: { file: process.env.RECORD_IMPORTS_FILE },
});
