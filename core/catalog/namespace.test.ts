import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BadRequestError } from '../errors.js';
import { escapeName } from './catalog-keys.js';
import { escapeSegment } from '../store/fs-object-store.js';
import { escapedNameBytes, MAX_ESCAPED_NAME_BYTES, validateName } from './namespace.js';

const refused = (name: string, message: RegExp): void => {
  assert.throws(() => validateName(name, 'name'), (error: unknown) => error instanceof BadRequestError && message.test(error.message));
};

test('escapedNameBytes is the length of the name as the file store writes it', () => {
  for (const name of ['plain', 'dots.in.name', '%25', 'ünïcödé', '日本語', 'emoji 🧊', 'a/b\\c', '..', 'n=x']) {
    assert.equal(escapedNameBytes(name), escapeSegment(escapeName(name)).length, name);
  }
});

test('names at the 255-character limit that do not fit one stored file name are a 400 (C4)', () => {
  refused('a'.repeat(255), /too long once escaped/);
  refused('é'.repeat(255), /too long once escaped/);
  refused('.'.repeat(49), /too long once escaped/);
  assert.equal(validateName('a'.repeat(MAX_ESCAPED_NAME_BYTES), 'name').length, MAX_ESCAPED_NAME_BYTES);
  assert.equal(validateName('é'.repeat(40), 'name').length, 40);
  refused('é'.repeat(41), /too long once escaped/);
  // The longest name the limit admits still fits a file name with the `t=` prefix and `.obj` suffix.
  assert.ok(`t=${escapeSegment(escapeName('a'.repeat(MAX_ESCAPED_NAME_BYTES)))}.obj`.length <= 255);
});

test('bidirectional formatting characters are refused; NFC and NFD spellings stay distinct names (C3)', () => {
  for (const ch of ['\u202e', '\u202a', '\u2066', '\u2069', '\u200f', '\u061c']) refused(`txt${ch}exe`, /bidirectional/);
  const nfc = 'caf\u00e9';
  const nfd = 'cafe\u0301';
  assert.equal(validateName(nfc, 'name'), nfc);
  assert.equal(validateName(nfd, 'name'), nfd);
});
