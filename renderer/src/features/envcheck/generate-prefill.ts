// Which key the Generate screen should make for a finding whose fix is "generate": from the variable's declared type.
import type { KeyKind } from '../../../../shared/domain/key-kinds.js';
import type { EnvFinding } from '../../../../shared/envcheck/report.js';
import type { VarType } from '../../../../shared/envcheck/types.js';
import type { GeneratePrefill } from '../generate/generate-screen.js';

const KIND_BY_TYPE: Partial<Record<VarType, KeyKind>> = {
  'fernet-key': 'fernet',
  'fernet-keys': 'fernet',
  'jwt-secret': 'jwt-hmac',
  secret: 'secret',
};

/** A keychain name for a variable: PII_ENC_KEY -> pii-enc-key. */
export function keyNameFor(variable: string): string {
  return (
    variable
      .toLowerCase()
      .replace(/_/g, '-')
      .replace(/^[^a-z0-9]+/, '') || 'key'
  );
}

export function prefillFor(finding: EnvFinding): GeneratePrefill | undefined {
  const fix = finding.fix;
  if (!finding.variable || !fix || (fix.action !== 'generate' && fix.action !== 'regenerate') || !fix.type) return undefined;
  const kind = KIND_BY_TYPE[fix.type];
  return kind ? { kind, name: keyNameFor(finding.variable), envVar: finding.variable } : undefined;
}
