import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { defaultTableLocation, validateLocation } from './table-location.js';

test('default locations nest namespace levels under the warehouse, or under a namespace location', () => {
  assert.equal(defaultTableLocation('s3://wh/root/', ['a', 'b'], {}, 't'), 's3://wh/root/a/b/t');
  assert.equal(defaultTableLocation('s3://wh/root', ['a'], { location: 's3://other/ns/' }, 't'), 's3://other/ns/t');
});

test('names "." and ".." never climb out of their parent', () => {
  // Escaped twice (as file: always was): a reader that percent-decodes once still sees no `..`.
  assert.equal(defaultTableLocation('s3://wh/root', ['..'], {}, '.'), 's3://wh/root/%252E%252E/%252E');
  const local = defaultTableLocation('file:///srv/wh', ['..', '.'], {}, '..');
  assert.equal(fileURLToPath(local), '/srv/wh/%2E%2E/%2E/%2E%2E');
  assert.equal(validateLocation(local), local);
});

test('a "/" inside a name stays inside one folder of a file location', () => {
  assert.equal(fileURLToPath(defaultTableLocation('file:///srv/wh', ['a/b'], {}, 't')), '/srv/wh/a%2Fb/t');
});

test('requested locations must be absolute, supported, and free of dot segments', () => {
  assert.throws(() => validateLocation('relative/path'), /absolute URI/);
  assert.throws(() => validateLocation('gs://bucket/x'), /unsupported scheme gs/);
  assert.throws(() => validateLocation('s3://bucket/a/../b'), /relative path segments/);
  assert.throws(() => validateLocation('file://tmp/ns/view'), /absolute local path/);
  assert.equal(validateLocation('file://localhost/srv/x'), 'file://localhost/srv/x');
  assert.equal(validateLocation('s3://bucket/a/'), 's3://bucket/a');
});

test('code review 1.7: distinct identifiers never share a default location, for every scheme', () => {
  for (const warehouse of ['s3://b/wh', 'file:///srv/wh']) {
    const locations = [
      defaultTableLocation(warehouse, ['a/b'], {}, 't'),
      defaultTableLocation(warehouse, ['a', 'b'], {}, 't'),
      defaultTableLocation(warehouse, ['a'], {}, 'b/t'),
      defaultTableLocation(warehouse, ['%2E%2E'], {}, 't'),
      defaultTableLocation(warehouse, ['..'], {}, 't'),
      defaultTableLocation(warehouse, ['a%2Fb'], {}, 't'),
    ];
    assert.equal(new Set(locations).size, locations.length, locations.join(' '));
    for (const location of locations) assert.equal(validateLocation(location), location);
  }
  assert.equal(defaultTableLocation('s3://b/wh', ['a/b'], {}, 't'), 's3://b/wh/a%252Fb/t');
});
