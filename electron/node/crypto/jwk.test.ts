// Every generated key, in every JWT algorithm, loads in node:crypto and in jose from its PEM and JWK forms, signs a
// JWT and verifies through the published JWKS; kids are RFC 7638 thumbprints.
import assert from 'node:assert/strict';
import { createPrivateKey, createPublicKey, createSecretKey, webcrypto } from 'node:crypto';
import { test } from 'node:test';
import {
  SignJWT,
  calculateJwkThumbprint,
  createLocalJWKSet,
  importJWK,
  importPKCS8,
  importSPKI,
  jwtVerify,
  type JWK,
  type JWTVerifyResult,
} from 'jose';
import { EC_ALGS, ED_ALGS, HMAC_ALGS, RSA_ALGS, type KeyKind } from '../../../shared/domain/key-kinds.js';
import { generateKey } from './generate-key.js';
import { jwkThumbprint } from './jwk-thumbprint.js';
import { renderKey } from './render-key.js';

/** RFC 7638 section 3.1: the example RSA key and its published thumbprint. */
const RFC7638_JWK = {
  kty: 'RSA',
  n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw',
  e: 'AQAB',
  alg: 'RS256',
  kid: '2011-04-29',
};
const RFC7638_THUMBPRINT = 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs';

test('the RFC 7638 section 3.1 example gives the published thumbprint (and jose agrees)', async () => {
  assert.equal(jwkThumbprint(RFC7638_JWK), RFC7638_THUMBPRINT);
  assert.equal(await calculateJwkThumbprint(RFC7638_JWK as JWK), RFC7638_THUMBPRINT);
  assert.notEqual(jwkThumbprint({ ...RFC7638_JWK, e: 'AQAC' }), RFC7638_THUMBPRINT, 'a required member changes it');
  assert.throws(() => jwkThumbprint({ kty: 'RSA', e: 'AQAB' }), /lacks its "n" member/);
});

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

function kindOf(alg: string): KeyKind {
  if (alg.startsWith('HS')) return 'jwt-hmac';
  if (alg.startsWith('ES')) return 'jwt-ec';
  if (alg === 'EdDSA') return 'jwt-ed25519';
  return 'jwt-rsa';
}

for (const alg of [...HMAC_ALGS, ...RSA_ALGS, ...EC_ALGS, ...ED_ALGS]) {
  test(`${alg}: the generated JWK and PEM load in node:crypto and jose, sign a JWT and verify it`, async () => {
    const key = await generateKey({ kind: kindOf(alg), alg });
    const jwk = JSON.parse(await renderKey(key, 'jwk')) as JWK;
    assert.equal(jwk.alg, alg);
    assert.equal(jwk.use, 'sig');
    const claims = { sub: 'keyturn-test', scope: alg };

    if (key.kind === 'jwt-hmac') {
      assert.equal(jwk.kty, 'oct');
      assert.equal(jwk.kid, await calculateJwkThumbprint(jwk));
      // node:crypto (WebCrypto) imports the JWK for this very algorithm, and it is the same secret as the stored text.
      const imported = await webcrypto.subtle.importKey(
        'jwk',
        jwk as webcrypto.JsonWebKey,
        { name: 'HMAC', hash: `SHA-${alg.slice(2)}` },
        true,
        ['sign'],
      );
      assert.ok(Buffer.from(await webcrypto.subtle.exportKey('raw', imported)).equals(Buffer.from(key.secret, 'base64url')));
      const jwt = await new SignJWT(claims).setProtectedHeader({ alg, kid: jwk.kid! }).sign(await importJWK(jwk, alg));
      const verified = await jwtVerify(jwt, createSecretKey(Buffer.from(key.secret, 'base64url')), { algorithms: [alg] });
      assert.equal(verified.payload.scope, alg);
      await assert.rejects(renderKey(key, 'jwks'), /publishes public keys/);
      return;
    }

    // Private JWK: node:crypto loads it, and it is the same key as the PKCS#8 PEM.
    const fromJwk = createPrivateKey({ key: jwk as never, format: 'jwk' });
    assert.ok(fromJwk.equals(createPrivateKey(key.secret)));
    const jwks = JSON.parse(await renderKey(key, 'jwks')) as { keys: JWK[] };
    assert.equal(jwks.keys.length, 1);
    const publicJwk = jwks.keys[0]!;
    for (const member of PRIVATE_MEMBERS) assert.equal(publicJwk[member as keyof JWK], undefined, `JWKS carries no "${member}"`);
    assert.equal(publicJwk.kid, await calculateJwkThumbprint(publicJwk), 'kid = RFC 7638 thumbprint (per jose)');
    assert.equal(publicJwk.kid, jwk.kid);
    assert.equal(key.fingerprint, `jwk-thumbprint:${publicJwk.kid}`);
    assert.equal(publicJwk.alg, alg);
    assert.ok(createPublicKey({ key: publicJwk as never, format: 'jwk' }).equals(createPublicKey(key.publicPem!)));

    // Sign with each private form, verify with each public form.
    const signers = [await importJWK(jwk, alg), await importPKCS8(key.secret, alg), createPrivateKey(key.secret)];
    const publicKeys = [await importSPKI(key.publicPem!, alg), createPublicKey(key.publicPem!)];
    const keySet = createLocalJWKSet(jwks);
    for (const signer of signers) {
      const jwt: string = await new SignJWT(claims).setProtectedHeader({ alg, kid: publicJwk.kid! }).setIssuedAt().sign(signer);
      const results: JWTVerifyResult[] = [await jwtVerify(jwt, keySet, { algorithms: [alg] })];
      for (const publicKey of publicKeys) results.push(await jwtVerify(jwt, publicKey, { algorithms: [alg] }));
      for (const verified of results) {
        assert.equal(verified.payload.sub, 'keyturn-test');
        assert.equal(verified.protectedHeader.kid, publicJwk.kid);
      }
    }
    // And a key of the same kind made separately does not verify it.
    const stranger = await generateKey({ kind: key.kind, alg });
    const foreign = await new SignJWT(claims).setProtectedHeader({ alg }).sign(createPrivateKey(key.secret));
    await assert.rejects(jwtVerify(foreign, createPublicKey(stranger.publicPem!), { algorithms: [alg] }));
  });
}
