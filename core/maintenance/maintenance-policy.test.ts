import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_LONG } from '../metadata/long.js';
import { maintenancePolicy } from './maintenance-policy.js';

const ON = { enabled: true };

describe('maintenancePolicy', () => {
  test('Iceberg defaults when no property is set', () => {
    const { policy, problems } = maintenancePolicy({}, ON);
    assert.deepEqual(policy, {
      enabled: true,
      maxSnapshotAgeMs: 432_000_000n,
      minSnapshotsToKeep: 1,
      maxRefAgeMs: MAX_LONG,
      previousVersionsMax: 100,
      deleteAfterCommit: false,
      gcEnabled: true,
      deleteExpiredFiles: true,
      deleteOldMetadataFiles: true,
      maxDeletesPerRun: 5_000,
      recentHeadsMs: 0n,
      manifestCompaction: { enabled: true, minManifests: 100, targetSizeBytes: 8 * 1024 * 1024 },
    });
    assert.deepEqual(problems, []);
  });

  test('reads the Iceberg properties', () => {
    const { policy, problems } = maintenancePolicy(
      {
        'history.expire.max-snapshot-age-ms': '60000',
        'history.expire.min-snapshots-to-keep': '5',
        'history.expire.max-ref-age-ms': '86400000',
        'write.metadata.previous-versions-max': '10',
        'write.metadata.delete-after-commit.enabled': 'TRUE',
        'gc.enabled': 'false',
      },
      ON,
    );
    assert.equal(policy.maxSnapshotAgeMs, 60_000n);
    assert.equal(policy.minSnapshotsToKeep, 5);
    assert.equal(policy.maxRefAgeMs, 86_400_000n);
    assert.equal(policy.previousVersionsMax, 10);
    assert.equal(policy.deleteAfterCommit, true);
    assert.equal(policy.gcEnabled, false);
    assert.deepEqual(problems, []);
  });

  test('the table property beats the catalog default for catalog.maintenance.enabled', () => {
    assert.equal(maintenancePolicy({ 'catalog.maintenance.enabled': 'false' }, ON).policy.enabled, false);
    assert.equal(maintenancePolicy({ 'catalog.maintenance.enabled': 'true' }, { enabled: false }).policy.enabled, true);
    assert.equal(maintenancePolicy({}, { enabled: false }).policy.enabled, false);
  });

  test('reads the catalog-specific limits', () => {
    const { policy } = maintenancePolicy({ 'catalog.maintenance.max-deletes-per-run': '7', 'catalog.maintenance.delete-expired-files': 'false' }, ON);
    assert.equal(policy.maxDeletesPerRun, 7);
    assert.equal(policy.deleteExpiredFiles, false);
  });

  test('an invalid value is ignored with the default and reported, never thrown', () => {
    const { policy, problems } = maintenancePolicy(
      {
        'history.expire.max-snapshot-age-ms': '5 days',
        'history.expire.min-snapshots-to-keep': '0',
        'history.expire.max-ref-age-ms': '-1',
        'gc.enabled': 'yes',
        'catalog.maintenance.max-deletes-per-run': '99999999999',
        'catalog.maintenance.enabled': '',
      },
      ON,
    );
    assert.equal(policy.maxSnapshotAgeMs, 432_000_000n);
    assert.equal(policy.minSnapshotsToKeep, 1);
    assert.equal(policy.maxRefAgeMs, MAX_LONG);
    assert.equal(policy.gcEnabled, true);
    assert.equal(policy.maxDeletesPerRun, 5_000);
    assert.equal(policy.enabled, true);
    assert.deepEqual(
      problems.map((p) => p.property).sort(),
      [
        'catalog.maintenance.enabled',
        'catalog.maintenance.max-deletes-per-run',
        'gc.enabled',
        'history.expire.max-ref-age-ms',
        'history.expire.max-snapshot-age-ms',
        'history.expire.min-snapshots-to-keep',
      ],
    );
  });

  test('an age beyond a 64-bit long is reported', () => {
    const { problems } = maintenancePolicy({ 'history.expire.max-snapshot-age-ms': '9999999999999999999' }, ON);
    assert.equal(problems[0]?.reason, 'larger than a 64-bit long');
  });

  test('a table with catalog.rebase-appends keeps recent heads 60 s by default; the property overrides', () => {
    assert.equal(maintenancePolicy({ 'catalog.rebase-appends': 'true' }, ON).policy.recentHeadsMs, 60_000n);
    assert.equal(maintenancePolicy({ 'catalog.rebase-appends': 'true', 'catalog.maintenance.keep-recent-heads-ms': '0' }, ON).policy.recentHeadsMs, 0n);
    assert.equal(maintenancePolicy({ 'catalog.maintenance.keep-recent-heads-ms': '5000' }, ON).policy.recentHeadsMs, 5_000n);
  });

  test('manifest compaction: the properties are read; values outside the safe bounds fall back to the defaults and are reported', () => {
    const set = maintenancePolicy(
      {
        'catalog.maintenance.manifest-compaction.enabled': 'false',
        'catalog.maintenance.manifest-compaction.min-manifests': '20',
        'catalog.maintenance.manifest-compaction.target-size-bytes': '1048576',
      },
      ON,
    );
    assert.deepEqual(set.policy.manifestCompaction, { enabled: false, minManifests: 20, targetSizeBytes: 1_048_576 });

    const bad = maintenancePolicy(
      {
        'catalog.maintenance.manifest-compaction.min-manifests': '0',
        'catalog.maintenance.manifest-compaction.target-size-bytes': '17179869184', // 16 GiB: not into a Lambda's memory
      },
      ON,
    );
    assert.deepEqual(bad.policy.manifestCompaction, { enabled: true, minManifests: 100, targetSizeBytes: 8 * 1024 * 1024 });
    assert.deepEqual(bad.problems.map((p) => p.property).sort(), [
      'catalog.maintenance.manifest-compaction.min-manifests',
      'catalog.maintenance.manifest-compaction.target-size-bytes',
    ]);
    assert.equal(maintenancePolicy({ 'catalog.maintenance.manifest-compaction.target-size-bytes': '100' }, ON).policy.manifestCompaction.targetSizeBytes, 8 * 1024 * 1024);
  });

  test('previous-versions-max below 1 counts as 1, as in Java', () => {
    assert.equal(maintenancePolicy({ 'write.metadata.previous-versions-max': '0' }, ON).policy.previousVersionsMax, 1);
  });

  test('a long invalid value is cut in the report', () => {
    const { problems } = maintenancePolicy({ 'gc.enabled': 'x'.repeat(1000) }, ON);
    assert.equal(problems[0]?.value.length, 100);
  });
});

describe('CATALOG_MAINTENANCE (the catalog-wide default)', () => {
  test('on unless set off; anything else refuses to start', async () => {
    const { loadConfig } = await import('../config.js');
    assert.equal(loadConfig({}).maintenanceEnabled, true);
    assert.equal(loadConfig({ CATALOG_MAINTENANCE: 'off' }).maintenanceEnabled, false);
    assert.throws(() => loadConfig({ CATALOG_MAINTENANCE: 'sometimes' }), /CATALOG_MAINTENANCE must be one of on, off/);
  });
});
