// Reads what the planner may know of an .env file: the variable names, and the values of token-lifetime variables only
// when they are plain whole numbers. Every other value stays in the file; nothing read here is ever printed.
import { parseEnv } from '../../../shared/formats/env-file.js';
import { lifetimeFamily } from '../../../shared/rotation/lifetimes.js';
import type { EnvFileFacts } from '../../../shared/rotation/types.js';
import { readEnvFile } from '../envcheck/read-env-file.js';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const WHOLE = /^[0-9]{1,6}$/;

export async function readEnvFacts(path: string, label = path): Promise<EnvFileFacts> {
  const { text } = await readEnvFile(path, label);
  const parsed = parseEnv(text);
  const variables: string[] = [];
  const lifetimes: EnvFileFacts['lifetimes'] = [];
  for (const entry of parsed.entries) {
    // A "name" that is not a variable name may be a pasted value: leave it out rather than carry it into a plan.
    if (!NAME.test(entry.key)) continue;
    if (!variables.includes(entry.key)) variables.push(entry.key);
    if (lifetimeFamily(entry.key) && entry.value !== null && WHOLE.test(entry.value.trim())) {
      lifetimes.push({ variable: entry.key, value: Number(entry.value.trim()) });
    }
  }
  return { path: label, variables, lifetimes };
}
