// Loaded with `node --import`: records every module the process resolves, one URL per line, in the file named by
// KEYTURN_MODULE_TRACE. Tests use it to prove a command never loads what it does not need.
import { register } from 'node:module';

register('./module-trace-hooks.mjs', import.meta.url, { data: { file: process.env.KEYTURN_MODULE_TRACE } });
