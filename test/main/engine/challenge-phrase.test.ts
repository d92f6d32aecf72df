import { test } from 'node:test';
import assert from 'node:assert/strict';
import { challengePhrase, cryptoRandom, phraseMatches, seededRandom, PHRASE_WORDS } from '../../../src/main/engine/challenge-phrase';
import { COMMON_WORDS } from '../../../src/main/engine/common-words';

test('the word list holds a few hundred distinct lower-case words', () => {
  assert.ok(COMMON_WORDS.length >= 300, `${COMMON_WORDS.length}`);
  assert.equal(new Set(COMMON_WORDS).size, COMMON_WORDS.length);
  for (const w of COMMON_WORDS) assert.match(w, /^[a-z]+$/);
});

test('a seeded phrase is reproducible; distinct seeds give distinct phrases', () => {
  assert.equal(challengePhrase(seededRandom(1)), challengePhrase(seededRandom(1)));
  assert.notEqual(challengePhrase(seededRandom(1)), challengePhrase(seededRandom(2)));
});

test('a phrase has distinct words from the list', () => {
  const r = seededRandom(9);
  for (let i = 0; i < 200; i++) {
    const words = challengePhrase(r).split(' ');
    assert.equal(words.length, PHRASE_WORDS);
    assert.equal(new Set(words).size, PHRASE_WORDS);
    for (const w of words) assert.ok(COMMON_WORDS.includes(w), w);
  }
});

test('the crypto source gives numbers in [0, 1)', () => {
  for (let i = 0; i < 100; i++) {
    const x = cryptoRandom();
    assert.ok(x >= 0 && x < 1);
  }
  assert.equal(challengePhrase(cryptoRandom).split(' ').length, PHRASE_WORDS);
});

test('matching ignores case and extra whitespace, but not a wrong or missing word', () => {
  assert.ok(phraseMatches('  Green   river\tLIGHT  stone ', 'green river light stone'));
  assert.ok(!phraseMatches('green river light', 'green river light stone'));
  assert.ok(!phraseMatches('green river night stone', 'green river light stone'));
  assert.ok(!phraseMatches('greenriver light stone', 'green river light stone'));
});
