import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { addDays, isBankDay, type Country } from "./calendar-date";
import { BLOCKING_NOTICE_STATUSES, NOTICE_MACHINE } from "./notice-transitions";
import { lettersOf, type SnapshotNotice } from "./claim";
import { evaluate } from "./escalation";
import { inputArb } from "./escalation.test-support";
import { CHANNELS, chooseChannel, dispatchDeadline, type ContactFacts } from "./letters";
import { checkMove, IllegalMoveError, ROLES } from "./state-machine";

// The safeguards of "every letter reaches the resident", as properties over random claims,
// channels, delivery outcomes and dates. The fee side of safeguard 1 (a fee is owed from its
// letter's dispatch, dated that day) and safeguard 4 (approval re-checks the letters) are written
// by PostgreSQL, and their properties run there: app/services/letters/safeguards.server.test.ts.

const STATUSES = NOTICE_MACHINE.states;
const dateArb = fc.integer({ min: 0, max: 3 * 365 }).map((n) => addDays("2026-01-01", n));
const countryArb = fc.constantFrom<Country>("SE", "NO");

describe("safeguard 1: a notice's lifecycle is its own table", () => {
  const moves = Object.keys(NOTICE_MACHINE.moves) as (keyof typeof NOTICE_MACHINE.moves)[];
  it("any sequence of moves either follows the table or is refused and changes nothing", () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ move: fc.constantFrom(...moves), role: fc.constantFrom(...ROLES) }), {
          maxLength: 12,
        }),
        fc.boolean(),
        (sequence, withReason) => {
          let state: (typeof STATUSES)[number] = "PENDING";
          let dispatched = false;
          for (const { move, role } of sequence) {
            const before = state;
            try {
              state = checkMove(NOTICE_MACHINE, state, move, role, withReason ? "why" : null);
            } catch (error) {
              expect(error).toBeInstanceOf(IllegalMoveError);
              expect(state).toBe(before);
              continue;
            }
            const spec = NOTICE_MACHINE.moves[move];
            expect(spec.from).toContain(before);
            expect(spec.by).toContain(role);
            if (state === "DISPATCHED" && before === "PENDING") dispatched = true;
            // Nothing is delivered, read or returned that never left.
            if (state === "DELIVERED" || state === "RETURNED") expect(dispatched).toBe(true);
            // Nothing goes back to pending: a letter that left stays left.
            expect(state === "PENDING" && before !== "PENDING").toBe(false);
          }
        },
      ),
    );
  });

  it("only the system dispatches: no person can make a letter count without it leaving", () => {
    for (const role of ROLES)
      if (role !== "system")
        expect(() => checkMove(NOTICE_MACHINE, "PENDING", "dispatch", role)).toThrow(
          IllegalMoveError,
        );
  });
});

describe("safeguard 2: the deadline counts from dispatch, plus postal days on paper", () => {
  it("is never earlier than the days given from the day it left (or arrived, on paper)", () => {
    fc.assert(
      fc.property(
        dateArb,
        fc.integer({ min: 1, max: 60 }),
        fc.constantFrom(...CHANNELS),
        fc.integer({ min: 0, max: 7 }),
        countryArb,
        (dispatchedOn, deadlineDays, channel, postalDays, country) => {
          const deadline = dispatchDeadline({
            dispatchedOn,
            deadlineDays,
            channel,
            postalDays,
            country,
          });
          const arrives = channel === "PRINT" ? addDays(dispatchedOn, postalDays) : dispatchedOn;
          expect(deadline >= addDays(arrives, deadlineDays)).toBe(true);
          expect(isBankDay(deadline, country)).toBe(true);
          // At most the days to the next bank day later (weekends and holidays, not more).
          expect(deadline <= addDays(arrives, deadlineDays + 6)).toBe(true);
          // Paper never gives less time than a digital letter sent the same day.
          const digital = dispatchDeadline({
            dispatchedOn,
            deadlineDays,
            channel: "DIGITAL_MAILBOX",
            postalDays,
            country,
          });
          expect(deadline >= digital).toBe(true);
        },
      ),
    );
  });
});

const noticeArb: fc.Arbitrary<SnapshotNotice> = fc.record({
  id: fc.uuid(),
  kind: fc.constantFrom("REMINDER", "COLLECTION_NOTICE", "PAYMENT_DEMAND", "DISPUTE_REJECTED"),
  status: fc.constantFrom(...STATUSES),
  stepId: fc.option(fc.uuid(), { nil: null }),
  channel: fc.option(fc.constantFrom(...CHANNELS), { nil: null }),
  dispatchedOn: fc.option(dateArb, { nil: null }),
  deadline: fc.option(dateArb, { nil: null }),
  deadlineDays: fc.option(fc.integer({ min: 1, max: 30 }), { nil: null }),
});

describe("safeguard 3: no step while a letter is pending, failed or returned", () => {
  it("stops the claim, whatever else is true, until every letter has left and none came back", () => {
    fc.assert(
      fc.property(inputArb, fc.array(noticeArb, { maxLength: 5 }), (input, notices) => {
        const letters = lettersOf({ notices });
        const d = evaluate({ ...input, letters });
        const blocking = notices.some((n) =>
          (BLOCKING_NOTICE_STATUSES as readonly string[]).includes(n.status),
        );
        if (blocking) expect(d.kind).not.toBe("act");
        if (blocking && input.status === "OPEN") {
          // Not even a wait: only a hold or a filing (which stop it anyway) come before.
          expect(d.kind).toBe("stop");
          if (d.kind === "stop")
            expect(["letter_on_its_way", "letter_not_delivered", "held", "filed"]).toContain(
              d.reason,
            );
        }
        if (!blocking)
          expect(["letter_on_its_way", "letter_not_delivered"]).not.toContain(
            d.kind === "stop" ? d.reason : "",
          );
      }),
    );
  });
});

describe("safeguard 5 (the way): every letter, ladder or decision, goes by the same choice", () => {
  const contactArb: fc.Arbitrary<ContactFacts | null> = fc.option(
    fc.record({
      register: fc.constantFrom("KRR", "FaR"),
      status: fc.constantFrom("active" as const, "unknown" as const),
      reservedAgainstDigitalMail: fc.boolean(),
      mailbox: fc.option(fc.record({ provider: fc.constantFrom("digipost", "kivra") }), {
        nil: null,
      }),
    }),
    { nil: null },
  );
  it("mailbox first where usable, then email with consent, then paper, else staff; with a reason", () => {
    fc.assert(
      fc.property(
        contactArb,
        fc.boolean(),
        fc.boolean(),
        fc.option(fc.emailAddress(), { nil: null }),
        fc.boolean(),
        (contact, mailboxService, emailConsent, email, hasAddress) => {
          const choice = chooseChannel({
            contact,
            mailboxService,
            emailConsent,
            email,
            hasAddress,
          });
          const mailbox =
            mailboxService &&
            contact?.status === "active" &&
            !contact.reservedAgainstDigitalMail &&
            contact.mailbox !== null;
          const expected = mailbox
            ? "DIGITAL_MAILBOX"
            : emailConsent && email
              ? "EMAIL"
              : hasAddress
                ? "PRINT"
                : null;
          expect(choice.channel).toBe(expected);
          expect(choice.why.length).toBeGreaterThan(0);
          // Never email without consent, never a mailbox the resident reserved against.
          if (choice.channel === "EMAIL") expect(emailConsent).toBe(true);
          if (choice.channel === "DIGITAL_MAILBOX")
            expect(contact?.reservedAgainstDigitalMail).toBe(false);
        },
      ),
    );
  });
});
