import { describe, expect, it } from "vitest";
import { reasonCollector } from "./policy-reasons";

describe("reasonCollector", () => {
  it("collects reasons in order, under the given path, with figures only when there are some", () => {
    const { errors, fail } = reasonCollector("writeOff");
    fail("mode", "write_off_mode_unknown", "must be one of auto, queue");
    fail("afterDays", "days_in_range", "must be a whole number of days from 0 to 365", {
      minimum: 0,
      maximum: 365,
    });
    expect(errors).toEqual([
      {
        path: "writeOff.mode",
        code: "write_off_mode_unknown",
        message: "must be one of auto, queue",
      },
      {
        path: "writeOff.afterDays",
        code: "days_in_range",
        params: { minimum: 0, maximum: 365 },
        message: "must be a whole number of days from 0 to 365",
      },
    ]);
    expect("params" in errors[0]!).toBe(false);
  });

  it("keeps a path as given when there is no enclosing one", () => {
    const { errors, fail } = reasonCollector();
    fail("steps[0].stage", "stage_unknown", "must be a stage");
    expect(errors.map((e) => e.path)).toEqual(["steps[0].stage"]);
  });
});
