const known = new Map<string, boolean>();

/** Whether `zone` is an IANA time zone (or UTC) this runtime knows: the one check every module uses. */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64) return false;
  let ok = known.get(zone);
  if (ok === undefined) {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: zone });
      ok = true;
    } catch {
      ok = false;
    }
    if (known.size < 1000) known.set(zone, ok);
  }
  return ok;
}
