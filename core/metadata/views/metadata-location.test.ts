import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nextViewMetadataLocation, viewMetadataFolder } from './metadata-location.js';
import { aView, VIEW_LOCATION } from './test-fixtures.js';

const UUID = 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee';

test('the first view file is version 0 under <location>/metadata, uncompressed', () => {
  assert.equal(nextViewMetadataLocation(aView(), undefined, UUID), `${VIEW_LOCATION}/metadata/00000-${UUID}.metadata.json`);
});

test('the next file follows the current one', () => {
  const current = `${VIEW_LOCATION}/metadata/00041-x.metadata.json`;
  assert.equal(nextViewMetadataLocation(aView(), current, UUID), `${VIEW_LOCATION}/metadata/00042-${UUID}.metadata.json`);
});

test('write.metadata.compression-codec=gzip names the file .gz.metadata.json', () => {
  const view = aView({ properties: { 'write.metadata.compression-codec': 'GZIP' } });
  assert.equal(nextViewMetadataLocation(view, undefined, UUID), `${VIEW_LOCATION}/metadata/00000-${UUID}.gz.metadata.json`);
});

test('write.metadata.path moves the files: absolute as-is, relative under the location', () => {
  assert.equal(viewMetadataFolder(aView({ properties: { 'write.metadata.path': 's3://other/meta/' } })), 's3://other/meta');
  assert.equal(viewMetadataFolder(aView({ properties: { 'write.metadata.path': 'custom' } })), `${VIEW_LOCATION}/custom`);
});

test('a trailing slash on the view location does not double the separator', () => {
  assert.equal(viewMetadataFolder(aView({ location: `${VIEW_LOCATION}/` })), `${VIEW_LOCATION}/metadata`);
});
