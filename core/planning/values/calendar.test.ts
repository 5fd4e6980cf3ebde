import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { civilFromDays, daysFromCivil, daysInMonth, floorDiv, floorMod } from './calendar.js';

const MILLIS_PER_DAY = 86_400_000;

describe('days from 1970-01-01 and back', () => {
  test('agrees with JS Date (proleptic Gregorian, UTC) every 7th day over ±1,000 years', () => {
    for (let days = -365_250; days <= 365_250; days += 7) {
      const date = new Date(days * MILLIS_PER_DAY);
      const civil = civilFromDays(days);
      assert.deepEqual(civil, { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1, day: date.getUTCDate() }, String(days));
      assert.equal(daysFromCivil(civil.year, civil.month, civil.day), days);
    }
  });

  test('round-trips the whole int range of the date type', () => {
    for (const days of [-(2 ** 31), -(2 ** 31) + 1, -719_529, -1, 0, 1, 2 ** 31 - 2, 2 ** 31 - 1]) {
      const { year, month, day } = civilFromDays(days);
      assert.equal(daysFromCivil(year, month, day), days, String(days));
    }
  });

  test('knows the epoch, leap days and year 0', () => {
    assert.equal(daysFromCivil(1970, 1, 1), 0);
    assert.equal(daysFromCivil(2017, 11, 16), 17_486);
    assert.deepEqual(civilFromDays(daysFromCivil(2000, 2, 29)), { year: 2000, month: 2, day: 29 });
    assert.equal(daysFromCivil(0, 3, 1) - daysFromCivil(0, 2, 28), 2, 'year 0 is a leap year');
    assert.equal(daysInMonth(1900, 2), 28);
    assert.equal(daysInMonth(2000, 2), 29);
    assert.equal(daysInMonth(-4, 2), 29);
  });
});

describe('floorDiv and floorMod', () => {
  test('round toward negative infinity, unlike bigint division', () => {
    assert.equal(floorDiv(-1n, 1000n), -1n);
    assert.equal(floorDiv(-1000n, 1000n), -1n);
    assert.equal(floorDiv(-1001n, 1000n), -2n);
    assert.equal(floorDiv(999n, 1000n), 0n);
    assert.equal(floorDiv(1n, -1000n), -1n);
    assert.equal(floorMod(-1n, 1000n), 999n);
    assert.equal(floorMod(1000n, 1000n), 0n);
  });
});
