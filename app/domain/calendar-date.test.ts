import { describe, it, expect } from "vitest";
import fc from "fast-check";
import {
  addBankDays,
  addDays,
  compareDates,
  dayOfWeek,
  daysBetween,
  deadlineFrom,
  easterSunday,
  isBankDay,
  isIsoDate,
  makeDate,
  maxDate,
  minDate,
  nextBankDay,
  parseIsoDate,
  publicHolidays,
  todayIn,
  type Country,
} from "./calendar-date";

const dateArb = fc
  .date({
    min: new Date("1900-01-01T00:00:00Z"),
    max: new Date("2199-12-31T00:00:00Z"),
    noInvalidDate: true,
  })
  .map((d) => d.toISOString().slice(0, 10));
const countryArb = fc.constantFrom<Country>("SE", "NO");

describe("ISO dates", () => {
  it("parses valid dates and rejects impossible ones", () => {
    expect(parseIsoDate("2024-02-29")).toBe("2024-02-29");
    expect(parseIsoDate("2025-02-29")).toBeNull();
    expect(parseIsoDate("2025-02-30")).toBeNull();
    expect(parseIsoDate("2025-13-01")).toBeNull();
    expect(parseIsoDate("2025-1-01")).toBeNull();
    expect(parseIsoDate("2025-01-01T00:00")).toBeNull();
    expect(isIsoDate("2025-04-31")).toBe(false);
  });

  it("accepts from outside only the years 1900 to 2199", () => {
    expect(isIsoDate("1900-01-01")).toBe(true);
    expect(isIsoDate("2199-12-31")).toBe(true);
    expect(isIsoDate("1899-12-31")).toBe(false);
    expect(isIsoDate("2200-01-01")).toBe(false);
    expect(isIsoDate("9999-12-31")).toBe(false);
    // Inside the domain, arithmetic still works on any four-digit year.
    expect(parseIsoDate("9999-12-31")).toBe("9999-12-31");
  });

  it("does day arithmetic across month, year and DST boundaries", () => {
    expect(addDays("2024-12-31", 1)).toBe("2025-01-01");
    expect(addDays("2024-03-01", -1)).toBe("2024-02-29");
    expect(daysBetween("2025-03-29", "2025-03-31")).toBe(2);
    expect(daysBetween("2025-01-01", "2026-01-01")).toBe(365);
    expect(dayOfWeek("2025-01-05")).toBe(0);
    expect(compareDates("2025-01-02", "2025-01-10")).toBe(-1);
    expect(maxDate("2025-01-02", "2024-12-31")).toBe("2025-01-02");
    expect(minDate("2025-01-02", "2024-12-31")).toBe("2024-12-31");
  });

  it("addDays and daysBetween round-trip", () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: -40_000, max: 40_000 }), (d, n) => {
        const moved = addDays(d, n);
        expect(parseIsoDate(moved)).toBe(moved);
        expect(daysBetween(d, moved)).toBe(n);
        expect(addDays(moved, -n)).toBe(d);
      }),
    );
  });

  it("todayIn uses the given time zone and instant", () => {
    const now = new Date("2025-06-30T22:30:00Z");
    expect(todayIn("Europe/Stockholm", now)).toBe("2025-07-01");
    expect(todayIn("UTC", now)).toBe("2025-06-30");
    expect(todayIn("Europe/Oslo", new Date("2025-01-01T22:59:59Z"))).toBe("2025-01-01");
  });
});

describe("holidays", () => {
  it("computes Easter", () => {
    expect(easterSunday(2025)).toBe("2025-04-20");
    expect(easterSunday(2026)).toBe("2026-04-05");
    expect(easterSunday(2024)).toBe("2024-03-31");
    expect(easterSunday(2038)).toBe("2038-04-25");
    expect(easterSunday(2285)).toBe("2285-03-22");
  });

  it("lists Swedish bank holidays for 2026", () => {
    expect(publicHolidays("SE", 2026)).toEqual([
      "2026-01-01",
      "2026-01-06",
      "2026-04-03",
      "2026-04-06",
      "2026-05-01",
      "2026-05-14",
      "2026-06-06",
      "2026-06-19",
      "2026-12-24",
      "2026-12-25",
      "2026-12-26",
      "2026-12-31",
    ]);
  });

  it("lists Norwegian bank holidays for 2025", () => {
    expect(publicHolidays("NO", 2025)).toEqual([
      "2025-01-01",
      "2025-04-17",
      "2025-04-18",
      "2025-04-21",
      "2025-05-01",
      "2025-05-17",
      "2025-05-29",
      "2025-06-09",
      "2025-12-24",
      "2025-12-25",
      "2025-12-26",
      "2025-12-31",
    ]);
  });

  it("midsummer eve is always a Friday between 19 and 25 June", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1900, max: 2200 }), (year) => {
        // Ascension Day can also fall in June, but never after the 10th.
        const eve = publicHolidays("SE", year).find(
          (d) => d.slice(5, 7) === "06" && d > makeDate(year, 6, 10),
        );
        expect(eve).toBeDefined();
        expect(dayOfWeek(eve ?? "")).toBe(5);
        expect(Number((eve ?? "").slice(8))).toBeGreaterThanOrEqual(19);
        expect(Number((eve ?? "").slice(8))).toBeLessThanOrEqual(25);
      }),
    );
  });
});

describe("bank days", () => {
  it("knows weekends and holidays", () => {
    expect(isBankDay("2025-06-20", "SE")).toBe(false); // midsummer eve
    expect(isBankDay("2025-06-20", "NO")).toBe(true);
    expect(isBankDay("2025-05-17", "NO")).toBe(false); // Saturday anyway
    expect(isBankDay("2027-05-17", "NO")).toBe(false); // Monday, constitution day
    expect(isBankDay("2027-05-17", "SE")).toBe(true);
    expect(isBankDay("2025-04-17", "NO")).toBe(false); // maundy thursday
    expect(isBankDay("2025-04-17", "SE")).toBe(true);
  });

  it("nextBankDay and deadlineFrom skip to the next bank day", () => {
    expect(nextBankDay("2025-12-24", "SE")).toBe("2025-12-29");
    expect(nextBankDay("2025-12-31", "NO")).toBe("2026-01-02");
    // 14 days from 2025-04-03 is Maundy Thursday in Norway → Tuesday after Easter.
    expect(deadlineFrom("2025-04-03", 14, "NO")).toBe("2025-04-22");
    expect(deadlineFrom("2025-04-03", 14, "SE")).toBe("2025-04-17");
    expect(deadlineFrom("2025-03-03", 8, "SE")).toBe("2025-03-11");
  });

  it("nextBankDay is a bank day, not before the input, and the first such day", () => {
    fc.assert(
      fc.property(dateArb, countryArb, (d, country) => {
        const next = nextBankDay(d, country);
        expect(isBankDay(next, country)).toBe(true);
        expect(compareDates(next, d)).toBeGreaterThanOrEqual(0);
        for (let x = d; x < next; x = addDays(x, 1)) expect(isBankDay(x, country)).toBe(false);
      }),
    );
  });

  it("addBankDays moves exactly n bank days and is reversible from a bank day", () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 60 }), countryArb, (d, n, country) => {
        const start = nextBankDay(d, country);
        const end = addBankDays(start, n, country);
        let count = 0;
        for (let x = addDays(start, 1); x <= end; x = addDays(x, 1))
          if (isBankDay(x, country)) count++;
        expect(count).toBe(n);
        expect(isBankDay(end, country)).toBe(true);
        expect(addBankDays(end, -n, country)).toBe(start);
      }),
    );
  });

  it("a deadline is never earlier than the statutory number of days", () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 0, max: 60 }), countryArb, (d, n, country) => {
        const deadline = deadlineFrom(d, n, country);
        expect(daysBetween(d, deadline)).toBeGreaterThanOrEqual(n);
        expect(isBankDay(deadline, country)).toBe(true);
      }),
    );
  });
});
