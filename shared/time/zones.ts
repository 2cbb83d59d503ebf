import { IANA_ALIAS_MAP, WINDOWS_TO_IANA_MAP } from 'windows-iana';

// Windows → IANA comes from CLDR's windowsZones (the windows-iana package carries it): the zone of
// territory "001" is CLDR's answer for a Windows name. IANA names are those this runtime's Intl
// knows plus CLDR's aliases of them (Asia/Kolkata beside Asia/Calcutta), matched without case as
// Intl does, and answered in their usual spelling.

const windowsToIana = new Map<string, string>();
for (const entry of WINDOWS_TO_IANA_MAP) {
  const first = entry.iana[0];
  if (entry.territory === '001' && first) windowsToIana.set(entry.windowsName.toLowerCase(), first);
}

const ianaByLowerName = new Map<string, string>();
for (const name of Intl.supportedValuesOf('timeZone')) ianaByLowerName.set(name.toLowerCase(), name);
for (const entry of IANA_ALIAS_MAP) {
  for (const alias of entry.alias) if (accepted(alias)) ianaByLowerName.set(alias.toLowerCase(), alias);
}
// Intl's list leaves out the UTC names themselves (it lists zones, UTC is their reference).
for (const name of ['UTC', 'Etc/UTC', 'Etc/GMT', 'GMT']) ianaByLowerName.set(name.toLowerCase(), name);

function accepted(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/**
 * The IANA name of a time zone given as a Windows name (Graph's `originalStartTimeZone`, mailbox
 * settings) or as an IANA name; null when the name is missing or neither (Graph's
 * "tzone://Microsoft/Custom", "Customized Time Zone").
 */
export function ianaZoneOf(name: string | null | undefined): string | null {
  if (!name) return null;
  const key = name.trim().toLowerCase();
  return windowsToIana.get(key) ?? ianaByLowerName.get(key) ?? null;
}

/** Whether a name is a known Windows or IANA time zone name (what `ianaZoneOf` can map). */
export function isKnownZone(name: string | null | undefined): boolean {
  return ianaZoneOf(name) !== null;
}
