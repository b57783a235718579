// The generate service's format table agrees with what each export really holds, for every kind and format.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { OUTPUT_FORMATS } from '../../../shared/domain/generated-key.js';
import { KEY_KINDS } from '../../../shared/domain/key-kinds.js';
import { createGenerateService } from './generate-service.js';

const service = createGenerateService();

test('every listed format renders, every other one is refused, and "secret" is true exactly when private material is in the text', async () => {
  for (const kind of KEY_KINDS) {
    const key = await service.generate({ kind, ...(kind === 'jwt-rsa' ? { bits: 2048 } : {}) });
    const fitting = service.formatsFor(kind);
    for (const format of OUTPUT_FORMATS) {
      if (!fitting.includes(format)) {
        await assert.rejects(service.export(key, format), { code: 'invalid-input' }, `${kind} ${format}`);
        continue;
      }
      const { text, secret } = await service.export(key, format, { envVar: 'KEY' });
      // An independent reading of the text: the raw secret, a PEM private key, or a JWK private member.
      const holdsPrivate = text.includes(key.secret) || /PRIVATE KEY/.test(text) || /"d"\s*:|"k"\s*:/.test(text);
      assert.equal(secret, holdsPrivate, `${kind} ${format}`);
    }
  }
});

test('one set of defaults: an RSA key without --bits is 3072 bits, a secret 32 bytes', async () => {
  assert.equal((await service.generate({ kind: 'jwt-rsa' })).size, 3072);
  assert.equal((await service.generate({ kind: 'secret' })).size, 256);
});
