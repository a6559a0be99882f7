import { describe, expect, it } from "vitest";
import {
  CLAIM_MACHINE,
  CLAIM_PLACES,
  moveClaim,
  stageBeforeEnforcement,
} from "./claim-transitions";
import { evaluate, type EvaluationInput } from "./escalation";
import { EVENTS } from "./events";
import { IllegalMoveError } from "./state-machine";
import { figuresFor } from "./escalation.test-support";
import type { Policy } from "./policy";

describe("the claim transition table", () => {
  it("names only known places, and every move's event is in the event catalogue", () => {
    for (const [name, spec] of Object.entries(CLAIM_MACHINE.moves)) {
      for (const from of spec.from) expect(CLAIM_PLACES, name).toContain(from);
      expect(Object.keys(EVENTS), name).toContain(spec.event ?? "(none)");
      expect(spec.by.length, name).toBeGreaterThan(0);
    }
  });

  it("answers where a claim in the enforcement queue may go, who may move it, and why", () => {
    const from = Object.entries(CLAIM_MACHINE.moves)
      .filter(([, spec]) => (spec.from as readonly string[]).includes("READY_FOR_ENFORCEMENT"))
      .map(([name, spec]) => ({ name, by: spec.by, reason: spec.reason }));
    expect(from).toEqual([
      { name: "renew_deadline", by: ["system"], reason: false },
      { name: "approve_enforcement", by: ["supervisor", "admin"], reason: false },
      { name: "send_back", by: ["agent", "supervisor", "admin"], reason: true },
      { name: "pay_in_full", by: CLAIM_MACHINE.moves.pay_in_full.by, reason: false },
      { name: "cancel", by: ["agent", "supervisor", "admin"], reason: true },
      { name: "cancel_fee", by: ["agent", "supervisor", "admin"], reason: true },
      { name: "write_off", by: ["system", "supervisor", "admin"], reason: true },
      // A queued small balance: staff answer "keep collecting" (decision 0106).
      { name: "keep_collecting", by: ["supervisor", "admin"], reason: true },
      { name: "write_off_fee", by: ["system", "supervisor", "admin"], reason: true },
    ]);
  });

  it("files an exported claim only by its receipt, and an undo gives it back as approved", () => {
    const from = (place: string) =>
      Object.entries(CLAIM_MACHINE.moves)
        .filter(([, spec]) => (spec.from as readonly string[]).includes(place))
        .map(([name]) => name);
    expect(from("ENFORCEMENT_APPROVED")).toContain("export_for_enforcement");
    expect(from("ENFORCEMENT_APPROVED")).not.toContain("file");
    // No escalation, send-back or second export of a claim on its way to the authority.
    expect(from("ENFORCEMENT_EXPORTED")).toEqual([
      "file",
      "undo_export",
      "pay_in_full",
      "cancel",
      "cancel_fee",
      "write_off",
      "write_off_fee",
    ]);
    const exported = { status: "OPEN", stage: "ENFORCEMENT_EXPORTED", steps: [] } as const;
    expect(moveClaim(exported, "file", "supervisor")).toMatchObject({ stage: "FILED" });
    expect(moveClaim(exported, "undo_export", "admin", "Upload failed")).toMatchObject({
      stage: "ENFORCEMENT_APPROVED",
      event: "enforcement.export_undone",
    });
    expect(() => moveClaim(exported, "undo_export", "admin", " ")).toThrow(IllegalMoveError);
    expect(() => moveClaim(exported, "file", "agent")).toThrow(IllegalMoveError);
  });

  it("sends a claim back to the last rung it reached, and a refund reopens it where it stood", () => {
    const steps = [
      { key: "REMINDER" },
      { key: "COLLECTION_NOTICE" },
      { key: "READY_FOR_ENFORCEMENT" },
    ];
    expect(stageBeforeEnforcement(steps)).toBe("COLLECTION_NOTICE");
    const queued = { status: "OPEN", stage: "READY_FOR_ENFORCEMENT", steps } as const;
    expect(moveClaim(queued, "send_back", "agent", "Resident called")).toMatchObject({
      status: "OPEN",
      stage: "COLLECTION_NOTICE",
      event: "enforcement.sent_back",
    });
    const paid = { status: "PAID", stage: "PAYMENT_DEMAND", steps } as const;
    expect(moveClaim(paid, "reopen", "system", "refund")).toMatchObject({
      status: "OPEN",
      stage: "PAYMENT_DEMAND",
    });
    expect(() => moveClaim(paid, "send_back", "agent", "x")).toThrow(IllegalMoveError);
  });
});

const NO_POLICY: Policy = {
  steps: [
    { stage: "REMINDER", daysAfter: 14, notice: true, deadlineDays: 14 },
    { stage: "COLLECTION_NOTICE", daysAfter: 1, notice: true, deadlineDays: 14 },
    { stage: "PAYMENT_DEMAND", daysAfter: 1, notice: true, deadlineDays: 14 },
    { stage: "READY_FOR_ENFORCEMENT", daysAfter: 7, notice: false },
  ],
  enforcementMinimum: 50_000,
  chargesInterest: true,
  allocationOrder: ["costs", "interest", "principal"],
  resumeDeadlineDays: 14,
};

describe("the ladder after a send-back", () => {
  const base: EvaluationInput = {
    status: "OPEN",
    stage: "COLLECTION_NOTICE",
    dueOn: "2026-03-02",
    country: "NO",
    policy: NO_POLICY,
    figures: figuresFor("NO"),
    outstanding: { principal: 500_000, fees: 7_000, interest: 1_000 },
    holds: [],
    stepsTaken: [
      { key: "REMINDER", takenOn: "2026-03-16", deadline: "2026-03-30" },
      { key: "COLLECTION_NOTICE", takenOn: "2026-04-07", deadline: "2026-04-21" },
      { key: "PAYMENT_DEMAND", takenOn: "2026-04-28", deadline: "2026-05-12" },
      { key: "READY_FOR_ENFORCEMENT", takenOn: "2026-05-20", deadline: null },
      { key: "SENT_BACK:1", takenOn: "2026-05-25", deadline: "2026-06-08" },
    ],
    vulnerable: false,
    today: "2026-06-01",
  };

  it("queues the claim again in a new round, never before the fresh deadline has passed", () => {
    const input = { ...base, stage: "PAYMENT_DEMAND" as const };
    const waiting = evaluate(input);
    expect(waiting).toMatchObject({ kind: "wait", action: { key: "READY_FOR_ENFORCEMENT#2" } });
    expect((waiting as { on: string }).on > "2026-06-08").toBe(true);
    const later = evaluate({ ...input, today: "2026-07-01" });
    expect(later).toMatchObject({
      kind: "act",
      action: { stage: "READY_FOR_ENFORCEMENT", key: "READY_FOR_ENFORCEMENT#2" },
    });
  });

  it("does not queue it twice in one round", () => {
    const input = {
      ...base,
      stage: "PAYMENT_DEMAND" as const,
      today: "2026-07-01",
      stepsTaken: [
        ...base.stepsTaken,
        { key: "READY_FOR_ENFORCEMENT#2", takenOn: "2026-06-15", deadline: null },
      ],
    };
    expect(evaluate(input)).toMatchObject({ kind: "stop", reason: "end_of_ladder" });
  });
});

describe("after a write-off", () => {
  it("a refund reopens the claim where it stood; keep collecting leaves it there, never after filing approval", () => {
    const writtenOff = { status: "WRITTEN_OFF", stage: "REMINDER", steps: [] } as const;
    expect(moveClaim(writtenOff, "reopen", "system", "refund")).toMatchObject({
      status: "OPEN",
      stage: "REMINDER",
      event: "claim.reopened",
    });
    const queued = { status: "OPEN", stage: "REMINDER", steps: [] } as const;
    expect(moveClaim(queued, "keep_collecting", "supervisor", "Can pay")).toMatchObject({
      status: "OPEN",
      stage: "REMINDER",
      event: "claim.write_off_declined",
    });
    expect(() => moveClaim(queued, "keep_collecting", "agent", "Can pay")).toThrow(
      IllegalMoveError,
    );
    expect(() => moveClaim(queued, "keep_collecting", "supervisor", " ")).toThrow(IllegalMoveError);
    const approved = { status: "OPEN", stage: "ENFORCEMENT_APPROVED", steps: [] } as const;
    expect(() => moveClaim(approved, "keep_collecting", "supervisor", "Can pay")).toThrow(
      IllegalMoveError,
    );
  });
});
