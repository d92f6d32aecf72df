import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { HmacFeatureKeyer, FEATURE_ID_BYTES } from '../../../src/main/capture/feature-keyer';

const secret = randomBytes(32);

test('ids are stable under one secret and differ between keys and pairs', () => {
  const k = new HmacFeatureKeyer(secret);
  assert.equal(k.key('30'), k.key('30'));
  assert.notEqual(k.key('30'), k.key('48'));
  assert.equal(k.pair('30', '48'), k.pair('30', '48'));
  assert.notEqual(k.pair('30', '48'), k.pair('48', '30'));
  // the separator keeps ("1","23") and ("12","3") apart
  assert.notEqual(k.pair('1', '23'), k.pair('12', '3'));
  // a hold id is never a digraph id
  assert.notEqual(k.key('30'), k.pair('30', ''));
});

test('a hold or digraph id reveals nothing without the secret: another secret gives unrelated ids', () => {
  const a = new HmacFeatureKeyer(secret);
  const b = new HmacFeatureKeyer(randomBytes(32));
  const keys = Array.from({ length: 256 }, (_, i) => String(i));
  const idsA = new Set(keys.map((c) => a.key(c)));
  for (const c of keys) {
    assert.notEqual(a.key(c), b.key(c));
    // an attacker hashing every key code with a guessed secret finds no match
    assert.equal(idsA.has(b.key(c)), false);
    assert.notEqual(a.key(c), c);
  }
  assert.equal(idsA.size, keys.length, 'ids of different keys collided');
});

test('ids are truncated base64url of the HMAC', () => {
  const id = new HmacFeatureKeyer(secret).pair('30', '48');
  assert.match(id, /^[A-Za-z0-9_-]+$/);
  assert.equal(Buffer.from(id, 'base64url').length, FEATURE_ID_BYTES);
});

test('a short secret is refused with the sizes named', () => {
  assert.throws(() => new HmacFeatureKeyer(Buffer.alloc(8)), /at least 16 bytes, got 8/);
});

test('the keyer keeps its own copy of the secret', () => {
  const s = Buffer.from(secret);
  const k = new HmacFeatureKeyer(s);
  s.fill(0); // the caller wipes its buffer
  const fresh = new HmacFeatureKeyer(secret);
  assert.equal(k.key('88888'), fresh.key('88888'));
});
