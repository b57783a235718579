// SARIF 2.1.0 output of `env check`, for GitHub code scanning and other SARIF viewers.
import { FINDING_CODES, FINDING_CODE_LIST, type FindingCode } from './codes.js';
import type { EnvReport, Severity } from './report.js';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  toolVersion: string;
  informationUri?: string;
}

/** FNV-1a over code, variable and path: a stable fingerprint that involves no value. */
function fingerprint(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

/** A relative path as a URI reference: forward slashes, each segment percent-encoded. */
export function pathToUri(path: string): string {
  return path
    .replace(/\\/g, '/')
    .split('/')
    .map((segment) => encodeURIComponent(segment))
    .join('/');
}

export function renderSarif(report: EnvReport, options: SarifOptions): object {
  const ruleIndex = new Map<FindingCode, number>(FINDING_CODE_LIST.map((code, i) => [code, i]));
  const rules = FINDING_CODE_LIST.map((code) => ({
    id: code,
    name: code.replace(/(^|-)([a-z])/g, (_m, _d, c: string) => c.toUpperCase()),
    shortDescription: { text: FINDING_CODES[code].title },
    fullDescription: { text: FINDING_CODES[code].help },
    help: { text: FINDING_CODES[code].help },
    defaultConfiguration: { level: LEVEL[FINDING_CODES[code].severity] },
  }));
  const results = report.files.flatMap((file) =>
    file.findings.map((f) => {
      const uri = pathToUri(file.path);
      const absolute = /^[A-Za-z][A-Za-z0-9+.-]*:|^\//.test(uri);
      return {
        ruleId: f.code,
        ruleIndex: ruleIndex.get(f.code)!,
        level: LEVEL[f.severity],
        message: { text: f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: absolute ? { uri: `file://${uri.startsWith('/') ? '' : '/'}${uri}` } : { uri, uriBaseId: '%SRCROOT%' },
              region: { startLine: f.line ?? 1 },
            },
          },
        ],
        partialFingerprints: { 'keyturnFinding/v1': fingerprint(`${f.code}\u0000${f.variable ?? ''}\u0000${file.path}`) },
      };
    }),
  );
  const driver: Record<string, unknown> = { name: 'Keyturn', semanticVersion: options.toolVersion, version: options.toolVersion, rules };
  if (options.informationUri) driver.informationUri = options.informationUri;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{ tool: { driver }, columnKind: 'utf16CodeUnits', results }],
  };
}
