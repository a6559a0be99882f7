import type { LawBook } from "~/domain/law-book";
export type { LawBook } from "~/domain/law-book";
import type { Country } from "~/domain/calendar-date";
import type { RatePeriod } from "~/domain/interest";
import { legalFiguresOn, type LegalFigures, type LegalRateRow } from "~/domain/policy";
import { db } from "~/infra/db.server";
import { isoOf } from "~/infra/db-dates.server";

/**
 * Every dated legal figure, read in one query. Callers load it once per request or sweep: the
 * rows change a few times a year, and a sweep must apply one consistent set.
 */
export async function loadLawBook(): Promise<LawBook> {
  return lawBookOf(await db().legalRate.findMany({ orderBy: { validFrom: "asc" } }));
}

/** How long a page may show figures read earlier: new rates are announced months ahead. */
export const LAW_BOOK_TTL_MS = 60_000;
let cached: { at: number; book: Promise<LawBook> } | undefined;

/**
 * The law book for a page view, read at most once a minute per process. The figures change twice
 * a year and are entered well before they apply (validFrom), so a page is never wrong for more
 * than that minute after an edit; the sweeps and payments keep reading `loadLawBook()` fresh.
 */
export function cachedLawBook(now = Date.now()): Promise<LawBook> {
  if (!cached || now - cached.at >= LAW_BOOK_TTL_MS) {
    const book = loadLawBook();
    cached = { at: now, book };
    // A failed read is not kept: the next page view tries again.
    book.catch(() => {
      if (cached?.book === book) cached = undefined;
    });
  }
  return cached.book;
}

function lawBookOf(
  rows: Awaited<ReturnType<ReturnType<typeof db>["legalRate"]["findMany"]>>,
): LawBook {
  const byCountry: Record<Country, LegalRateRow[]> = { SE: [], NO: [] };
  const interest: Record<Country, RatePeriod[]> = { SE: [], NO: [] };
  for (const r of rows) {
    const validFrom = isoOf(r.validFrom);
    byCountry[r.jurisdiction].push({ kind: r.kind, value: r.value, validFrom });
    if (r.kind === "LATE_INTEREST_RATE") {
      interest[r.jurisdiction].push({ validFrom, basisPoints: r.value, source: r.source });
    }
  }
  const cache = new Map<string, LegalFigures>();
  return {
    interest,
    figures(country, date) {
      const key = `${country}:${date}`;
      let found = cache.get(key);
      if (!found) {
        found = legalFiguresOn(country, date, byCountry[country]);
        cache.set(key, found);
      }
      return found;
    },
  };
}
