// Module customization hooks for a child process: records every cloud SDK package it loads (ESM or CJS through
// import()) in the file named by KEYTURN_TEST_MODULE_LOG, to prove the SDKs load only when a push needs them.
import { appendFileSync } from 'node:fs';

const WATCHED = /^@aws-sdk\/client-secrets-manager$|^@azure\/(identity|keyvault-secrets)$/;

export async function resolve(specifier, context, next) {
  if (WATCHED.test(specifier) && process.env.KEYTURN_TEST_MODULE_LOG) appendFileSync(process.env.KEYTURN_TEST_MODULE_LOG, `${specifier}\n`);
  return next(specifier, context);
}
