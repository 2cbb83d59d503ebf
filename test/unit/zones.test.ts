import { describe, expect, it } from 'vitest';
import { WINDOWS_TO_IANA_MAP } from 'windows-iana';
import { ianaZoneOf, isKnownZone } from '../../shared/time/zones.js';

describe('ianaZoneOf', () => {
  it('maps Windows names to CLDR territory-001 zones', () => {
    expect(ianaZoneOf('Pacific Standard Time')).toBe('America/Los_Angeles');
    expect(ianaZoneOf('W. Europe Standard Time')).toBe('Europe/Berlin');
    expect(ianaZoneOf('Tokyo Standard Time')).toBe('Asia/Tokyo');
    expect(ianaZoneOf('UTC')).toBe('Etc/UTC');
    // A zone CLDR added in 2022: the data is not frozen before it.
    expect(ianaZoneOf('Yukon Standard Time')).toBe('America/Whitehorse');
  });

  it('ignores case and surrounding spaces, as Windows and Intl do', () => {
    expect(ianaZoneOf(' pacific standard time ')).toBe('America/Los_Angeles');
    expect(ianaZoneOf('europe/berlin')).toBe('Europe/Berlin');
  });

  it('keeps IANA names, including CLDR aliases Intl does not list', () => {
    expect(ianaZoneOf('Europe/Berlin')).toBe('Europe/Berlin');
    expect(ianaZoneOf('Asia/Kolkata')).toBe('Asia/Kolkata');
    expect(ianaZoneOf('Asia/Calcutta')).toBe('Asia/Calcutta');
    expect(ianaZoneOf('UTC')).toBe('Etc/UTC');
    expect(ianaZoneOf('Etc/UTC')).toBe('Etc/UTC');
  });

  it('answers null for missing and unknown names', () => {
    expect(ianaZoneOf(null)).toBeNull();
    expect(ianaZoneOf(undefined)).toBeNull();
    expect(ianaZoneOf('')).toBeNull();
    expect(ianaZoneOf('tzone://Microsoft/Custom')).toBeNull();
    expect(ianaZoneOf('Customized Time Zone')).toBeNull();
    expect(ianaZoneOf('Mars/Olympus_Mons')).toBeNull();
  });

  it('gives every Windows name of the data a zone this runtime can format in', () => {
    const names = new Set(WINDOWS_TO_IANA_MAP.map((e) => e.windowsName));
    expect(names.size).toBeGreaterThan(130);
    for (const name of names) {
      const zone = ianaZoneOf(name);
      expect(zone, name).not.toBeNull();
      expect(() => new Intl.DateTimeFormat('en-US', { timeZone: zone ?? 'x' }), name).not.toThrow();
    }
  });
});

describe('isKnownZone', () => {
  it('knows Windows names, every IANA name of Intl and nothing else', () => {
    expect(isKnownZone('Romance Standard Time')).toBe(true);
    for (const name of Intl.supportedValuesOf('timeZone')) expect(isKnownZone(name), name).toBe(true);
    expect(isKnownZone('Romance Time')).toBe(false);
    expect(isKnownZone('+02:00')).toBe(false);
    expect(isKnownZone(null)).toBe(false);
  });
});
