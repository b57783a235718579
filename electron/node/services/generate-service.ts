// The generate use case for the CLI and the desktop: make a key with the one set of defaults (key-kinds.ts), say which
// export formats fit it, and render an export saying whether it holds secret material.
import { FORMATS_BY_KIND, isSecretExport } from '../../../shared/domain/export-formats.js';
import type { GeneratedKey, GenerateRequest, OutputFormat } from '../../../shared/domain/generated-key.js';
import type { KeyKind } from '../../../shared/domain/key-kinds.js';
import { generateKey } from '../crypto/generate-key.js';
import { renderKey } from '../crypto/render-key.js';

export interface KeyExport {
  text: string;
  /** False only for exports of public material (a JWKS). */
  secret: boolean;
}

export interface GenerateService {
  /** Validates the request (invalid-input, weak-parameter) and makes a new key from node:crypto's CSPRNG. */
  generate(request: GenerateRequest): Promise<GeneratedKey>;
  formatsFor(kind: KeyKind): readonly OutputFormat[];
  /** The key in `format` (invalid-input when the format does not fit the kind). */
  export(key: GeneratedKey, format: OutputFormat, options?: { envVar?: string }): Promise<KeyExport>;
}

export function createGenerateService(): GenerateService {
  return {
    generate: (request) => generateKey(request),
    formatsFor: (kind) => FORMATS_BY_KIND[kind],
    async export(key, format, options = {}) {
      return { text: await renderKey(key, format, options), secret: isSecretExport(format) };
    },
  };
}
