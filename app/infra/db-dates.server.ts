import type { IsoDate } from "~/domain/calendar-date";

// DATE columns come back as midnight-UTC Date objects; the domain works with ISO calendar dates.
export function dbDate(iso: IsoDate | string): Date {
  return new Date(`${iso}T00:00:00.000Z`);
}

// The sweep converts the same few hundred dates millions of times; toISOString is the slow part.
const isoByTime = new Map<number, IsoDate>();

export function isoOf(date: Date): IsoDate {
  const time = date.getTime();
  let iso = isoByTime.get(time);
  if (iso === undefined) {
    iso = date.toISOString().slice(0, 10) as IsoDate;
    // Bounded: timestamps (not only midnights) pass through here too.
    if (isoByTime.size >= 100_000) isoByTime.clear();
    isoByTime.set(time, iso);
  }
  return iso;
}
