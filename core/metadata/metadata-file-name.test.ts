import { test } from 'node:test';
import assert from 'node:assert/strict';
import { metadataCodecFromFileName, metadataFileName, nextMetadataLocation, parseMetadataVersion } from './metadata-file-name.js';
import { aTable, TABLE_LOCATION } from './test-fixtures.js';

const UUID = 'd2f1c7a8-1b2c-4d3e-8f9a-0b1c2d3e4f5a';

test('file names are the 5-digit zero-padded version, the uuid and the extension', () => {
  assert.equal(metadataFileName(0, UUID), `00000-${UUID}.metadata.json`);
  assert.equal(metadataFileName(42, UUID, 'gzip'), `00042-${UUID}.gz.metadata.json`);
  assert.equal(metadataFileName(123456, UUID), `123456-${UUID}.metadata.json`);
});

test('the version is the digits between the last slash and the next dash', () => {
  assert.equal(parseMetadataVersion(`s3://b/t/metadata/00012-${UUID}.metadata.json`), 12);
  assert.equal(parseMetadataVersion(`00007-${UUID}.metadata.json`), 7);
  assert.equal(parseMetadataVersion('s3://b/my-table/metadata/v3.metadata.json'), -1);
  assert.equal(parseMetadataVersion('s3://b/t/metadata/abc-1.metadata.json'), -1);
  assert.equal(parseMetadataVersion('s3://b/t/metadata/99999999999-x.metadata.json'), -1);
});

test('the next location is one version up in <location>/metadata', () => {
  assert.equal(nextMetadataLocation(aTable(), undefined, UUID), `${TABLE_LOCATION}/metadata/00000-${UUID}.metadata.json`);
  assert.equal(nextMetadataLocation(aTable(), `${TABLE_LOCATION}/metadata/00009-x.metadata.json`, UUID), `${TABLE_LOCATION}/metadata/00010-${UUID}.metadata.json`);
});

test('a foreign current file restarts the version counter at 0', () => {
  assert.equal(nextMetadataLocation(aTable(), 's3://elsewhere/v12.metadata.json', UUID), `${TABLE_LOCATION}/metadata/00000-${UUID}.metadata.json`);
});

test('write.metadata.path is used as-is without its trailing slash', () => {
  const table = aTable({ properties: { 'write.metadata.path': 's3://other/meta/' } });
  assert.equal(nextMetadataLocation(table, undefined, UUID), `s3://other/meta/00000-${UUID}.metadata.json`);
});

test('a relative write.metadata.path is joined to the table location', () => {
  const table = aTable({ properties: { 'write.metadata.path': 'custom-meta' } });
  assert.equal(nextMetadataLocation(table, undefined, UUID), `${TABLE_LOCATION}/custom-meta/00000-${UUID}.metadata.json`);
});

test('gzip metadata compression changes the extension', () => {
  const table = aTable({ properties: { 'write.metadata.compression-codec': 'gzip' } });
  assert.equal(nextMetadataLocation(table, undefined, UUID), `${TABLE_LOCATION}/metadata/00000-${UUID}.gz.metadata.json`);
  assert.equal(metadataCodecFromFileName(`00000-${UUID}.gz.metadata.json`), 'gzip');
  assert.equal(metadataCodecFromFileName(`00000-${UUID}.metadata.json.gz`), 'gzip');
  assert.equal(metadataCodecFromFileName(`00000-${UUID}.metadata.json`), 'none');
});
