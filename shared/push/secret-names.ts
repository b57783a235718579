// Cloud secret names: what AWS Secrets Manager and Azure Key Vault accept, and the name a key gets by default on each.
import { KeyturnError } from '../domain/errors.js';

export type TargetKind = 'aws' | 'azure';

/** AWS: 1-512 of letters, digits and / _ + = . @ - (a name ending in a hyphen and 6 characters looks like an ARN suffix). */
export const AWS_SECRET_NAME = /^[A-Za-z0-9/_+=.@-]{1,512}$/;
/** Azure Key Vault: 1-127 letters, digits and hyphens. */
export const AZURE_SECRET_NAME = /^[0-9a-zA-Z-]{1,127}$/;

/** `PII_ENC_KEY` -> `pii-enc-key`: Key Vault allows only letters, digits and '-', and compares names without case. */
export function azureNameFor(keyName: string): string {
  return keyName.toLowerCase().replace(/[._]/g, '-');
}

/** The secret a key goes to when no name is given: the key name on AWS, the mapped name on Azure. */
export function defaultSecretName(kind: TargetKind, keyName: string): string {
  return kind === 'azure' ? azureNameFor(keyName) : keyName;
}

/** Refuses a name the service would reject, before any call; the message describes the rule, and quotes only a short, safe prefix. */
export function assertSecretName(kind: TargetKind, name: string): string {
  if (kind === 'aws' && !AWS_SECRET_NAME.test(name)) {
    throw new KeyturnError(
      'invalid-name',
      `${describeName(name)} is not a valid AWS Secrets Manager name: use 1-512 letters, digits or / _ + = . @ -.`,
    );
  }
  if (kind === 'azure' && !AZURE_SECRET_NAME.test(name)) {
    throw new KeyturnError(
      'invalid-name',
      `${describeName(name)} is not a valid Azure Key Vault secret name: use 1-127 letters, digits or hyphens (Keyturn maps PII_ENC_KEY to pii-enc-key by default).`,
    );
  }
  return name;
}

/** A name the user typed, shown only when it is short and plain; otherwise described by its length. */
function describeName(name: string): string {
  if (name.length === 0) return 'An empty name';
  return /^[\x21-\x7e]{1,64}$/.test(name) ? `"${name}"` : `A ${name.length}-character name`;
}
