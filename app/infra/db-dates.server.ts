import type { IsoDate } from "~/domain/calendar-date";

// DATE columns come back as midnight-UTC Date objects; the domain works with ISO calendar dates.
export function dbDate(iso: IsoDate | string): Date {
  return new Date(`${iso}T00:00:00.000Z`);
}

export function isoOf(date: Date): IsoDate {
  return date.toISOString().slice(0, 10) as IsoDate;
}
