import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isInside, locationSegment, parseLocation } from './canonical-location.js';
import { LocationConfinement } from './confinement.js';

const wh = (location: string) => new LocationConfinement({ warehouses: [{ name: 'w', location }] });

test('s3, s3a and s3n are one store; the key is literal and trailing slashes go', () => {
  assert.equal(parseLocation('S3A://bucket/a/b/').uri, 's3://bucket/a/b');
  assert.equal(parseLocation('s3n://bucket/a%20b').uri, 's3://bucket/a%20b');
  assert.ok(isInside(parseLocation('s3a://bucket/wh/x'), parseLocation('s3://bucket/wh')));
  assert.ok(!isInside(parseLocation('s3://bucket/wh2/x'), parseLocation('s3://bucket/wh')), 'segment-wise, not a string prefix');
  assert.ok(!isInside(parseLocation('s3://other/wh/x'), parseLocation('s3://bucket/wh')));
});

test('file: paths are decoded once and `//` collapses, as fileURLToPath and the OS do', () => {
  assert.equal(parseLocation('file:///srv//wh/a%20b/').uri, 'file:///srv/wh/a%20b');
  assert.deepEqual(parseLocation('file://localhost/srv/x').segments, ['srv', 'x']);
  assert.deepEqual(parseLocation('file:///srv/%252E%252E').segments, ['srv', '%2E%2E'], 'a name "..", escaped: one folder');
});

test('anything that could climb is refused, not resolved: .., %2e%2e, mixed case, behind an encoded slash', () => {
  for (const location of [
    's3://b/wh/../x',
    's3://b/wh/./x',
    's3://b/wh/%2e%2e/x',
    's3://b/wh/%2E./x',
    's3://b/wh/a%2F..%2Fb',
    'file:///srv/wh/../etc',
    'file:///srv/wh/%2e%2e/etc',
    'file:///srv/wh/.%2E/etc',
    'file:///srv/wh/a%2Fb',
    'file:///srv/wh/a%00b',
    'file:///srv/wh/bad%zz',
    'file:///srv/wh/a\\..\\b',
  ]) {
    assert.throws(() => parseLocation(location), /relative path segments|encoded \/|malformed|backslash/, location);
  }
});

test('relative paths, other schemes, hosts, queries and fragments are refused', () => {
  assert.throws(() => parseLocation('relative/path'), /absolute URI/);
  assert.throws(() => parseLocation('/abs/path'), /absolute URI/);
  assert.throws(() => parseLocation('gopher://host/x'), /unsupported scheme gopher/);
  assert.throws(() => parseLocation('http://host/x'), /unsupported scheme http/);
  assert.throws(() => parseLocation('file://tmp/x'), /absolute local path/);
  assert.throws(() => parseLocation('s3:///x'), /bucket/);
  assert.throws(() => parseLocation('s3://b/x?y=/../z'), /query/);
  assert.throws(() => parseLocation('s3://b/x#frag'), /query/);
  assert.throws(() => parseLocation(`s3://b/${'x'.repeat(5000)}`), /longer/);
});

test('a name is one segment: `/` and `%` escaped, dots never decode to a dot segment', () => {
  assert.equal(locationSegment('a/b'), 'a%252Fb');
  assert.equal(locationSegment('..'), '%252E%252E');
  assert.notEqual(locationSegment('..'), locationSegment('%2E%2E'));
  for (const name of ['..', '.', 'a/b', '%2e%2e', 'a%2F..%2Fb']) {
    assert.doesNotThrow(() => parseLocation(`s3://b/wh/${locationSegment(name)}`), name);
    assert.doesNotThrow(() => parseLocation(`file:///wh/${locationSegment(name)}`), name);
  }
});

test('the confinement: inside a warehouse, inside a namespace subtree', () => {
  const c = wh('s3://bucket/warehouse');
  assert.ok(c.permits('s3a://bucket/warehouse/ns/t/metadata/x.json'));
  assert.ok(!c.permits('s3://bucket/catalog/wh/x'));
  assert.ok(!c.permits('s3://bucket/warehouse/../catalog'));
  assert.throws(() => c.requireInWarehouses('s3://other/warehouse/x'), /outside the catalog's warehouses/);
  assert.equal(c.requireInNamespace('w', ['a', 'b'], 's3://bucket/warehouse/a/b/t').uri, 's3://bucket/warehouse/a/b/t');
  assert.throws(() => c.requireInNamespace('w', ['a', 'b'], 's3://bucket/warehouse/a/t'), /outside the namespace/);
  assert.throws(() => c.requireInNamespace('w', ['a/b'], 's3://bucket/warehouse/a/b/t'), /outside the namespace/, 'the level "a/b" is not the levels a, b');
  const local = wh('file:///srv/warehouse');
  assert.ok(local.permits('file:///srv/warehouse/a%20b/x'));
  assert.ok(!local.permits('file:///srv/warehouse-2/x'));
  assert.ok(!local.permits('file:///srv/master-keys.txt'));
});
