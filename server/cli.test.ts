import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { authenticateApiKey } from "../app/services/identity/api-keys.server.ts";
import { createTestCreditor, seedDemo } from "./test-support/fixtures.ts";
import { receiveClaim } from "../app/services/claims/intake.server.ts";
import { db } from "../app/infra/db.server.ts";
import { makeNorwegianFodselsnummer } from "../app/domain/national-id.ts";
import { run } from "./cli.ts";

/** A synthetic fødselsnummer no other test file uses. */
function ownResident(): string {
  for (let i = 410; ; i++) {
    const id = makeNorwegianFodselsnummer("1983-07-21", i, { synthetic: true });
    if (id) return id;
  }
}

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: { log: (l: string) => lines.push(l), error: (l: string) => errors.push(l) },
  };
}

beforeAll(() => seedDemo());
afterAll(async () => (await import("../app/infra/db.server.ts")).disconnectDb());

describe("kravportal api-key create", () => {
  it("prints a new key as the last line, and that key authenticates as the creditor", async () => {
    const c = capture();
    expect(await run(["api-key", "create", "--creditor", "elvdal"], c.out)).toBe(0);
    const key = c.lines.join("\n").trim().split("\n").pop()!;
    expect(key).toMatch(/^kp_live_[A-Za-z0-9_-]{40,}$/);
    const caller = await authenticateApiKey(`Bearer ${key}`);
    expect(caller?.country).toBe("NO");
    expect(await authenticateApiKey(`Bearer ${key}x`)).toBeNull();
  });

  it("refuses an unknown creditor or missing options with a clear message", async () => {
    const unknown = capture();
    expect(await run(["api-key", "create", "--creditor", "nowhere"], unknown.out)).toBe(1);
    expect(unknown.errors.join("\n")).toContain('No creditor with slug "nowhere"');
    const missing = capture();
    expect(await run(["api-key", "create"], missing.out)).toBe(2);
    expect(missing.errors.join("\n")).toContain("--creditor");
    const bad = capture();
    expect(await run(["frobnicate"], bad.out)).toBe(2);
    expect(bad.errors.join("\n")).toContain("Unknown command");
  });
});

describe("kravportal policy set", () => {
  const write = async (name: string, policy: unknown) => {
    const file = path.join(tmpdir(), `${process.pid}-${name}.json`);
    await writeFile(file, JSON.stringify(policy));
    return file;
  };
  const policy = (collectionFee: number, deadlineDays: number) => ({
    steps: [
      {
        stage: "REMINDER",
        daysAfter: 10,
        fee: { kind: "REMINDER_FEE", amount: 6_000 },
        notice: true,
        deadlineDays: 10,
      },
      {
        stage: "COLLECTION_NOTICE",
        daysAfter: 11,
        fee: { kind: "COLLECTION_FEE", amount: collectionFee },
        notice: true,
        deadlineDays,
      },
      { stage: "READY_FOR_ENFORCEMENT", daysAfter: 11, notice: false },
    ],
    enforcementMinimum: 20_000,
    chargesInterest: true,
    allocationOrder: ["costs", "interest", "principal"],
    resumeDeadlineDays: 14,
  });

  it("refuses a fee above the legal cap or a deadline shorter than the law's, saving nothing", async () => {
    const file = await write("bad", policy(25_000, 5));
    const c = capture();
    const args = [
      "policy",
      "set",
      "--creditor",
      "vastkust",
      "--claim-type",
      "ambulance",
      "--file",
      file,
    ];
    expect(await run(args, c.out)).toBe(1);
    const text = c.errors.join("\n");
    expect(text).toContain("Policy refused; nothing was saved");
    expect(text).toMatch(/steps\.1\.fee\.amount: 250\.00 exceeds the legal cap of 180\.00/);
    expect(text).toMatch(/steps\.1\.deadlineDays: .*8/);
  });

  it("saves a lawful policy as a new version, and an identical one changes nothing", async () => {
    const file = await write("good", policy(15_000, 10));
    const first = capture();
    const args = [
      "policy",
      "set",
      "--creditor",
      "vastkust",
      "--claim-type",
      "ambulance",
      "--file",
      file,
    ];
    expect(await run(args, first.out)).toBe(0);
    expect(first.lines.join("\n")).toMatch(/Saved policy version \d+/);
    const again = capture();
    expect(await run(args, again.out)).toBe(0);
    expect(again.lines.join("\n")).toContain("Policy unchanged");
  });
});

describe("kravportal policy simulate", () => {
  const draftFile = async (name: string, draft: unknown) => {
    const file = path.join(tmpdir(), `${process.pid}-sim-${name}.json`);
    await writeFile(file, JSON.stringify(draft));
    return file;
  };
  const draft = (enforcementMinimum: number, collectionFee = 15_000) => ({
    steps: [
      { stage: "REMINDER", daysAfter: 10, fee: { kind: "REMINDER_FEE", amount: 6_000 }, notice: true, deadlineDays: 10 }, // prettier-ignore
      { stage: "COLLECTION_NOTICE", daysAfter: 11, fee: { kind: "COLLECTION_FEE", amount: collectionFee }, notice: true, deadlineDays: 10 }, // prettier-ignore
      { stage: "READY_FOR_ENFORCEMENT", daysAfter: 11, notice: false },
    ],
    enforcementMinimum,
    chargesInterest: true,
    allocationOrder: ["costs", "interest", "principal"],
    resumeDeadlineDays: 14,
  });
  const args = (file: string, ...more: string[]) => [
    "policy",
    "simulate",
    "--creditor",
    "vastkust",
    "--claim-type",
    "ambulance",
    "--file",
    file,
    ...more, // prettier-ignore
  ];

  it("prints the draft beside the current policy as a table, with its payment assumption", async () => {
    const c = capture();
    expect(await run(args(await draftFile("floorless", draft(0)), "--days", "120"), c.out)).toBe(0); // prettier-ignore
    const text = c.lines.join("\n");
    expect(text).toMatch(/Simulation from \d{4}-\d\d-\d\d for 120 days over \d+ open claims/);
    expect(text).toMatch(/Current \(v\d+\) +Draft +Difference/);
    expect(text).toMatch(/Enforcement queue, principal under 200 +\d+ +\d+ +[-+]?\d+/);
    expect(text).toMatch(/Fees charged \(SEK\)/);
    expect(text).toMatch(/Assumption: /);
    expect(await db().policySimulation.count({ where: { days: 120, staffId: null } })).toBeGreaterThan(0); // prettier-ignore
  });

  it("refuses an unlawful draft with every reason, and bad options, simulating nothing", async () => {
    const unlawful = capture();
    expect(await run(args(await draftFile("unlawful", draft(0, 99_000))), unlawful.out)).toBe(1);
    expect(unlawful.errors.join("\n")).toMatch(/steps\.1\.fee\.amount: 990\.00 exceeds the legal cap/); // prettier-ignore
    const days = capture();
    expect(await run(args(await draftFile("days", draft(0)), "--days", "ten"), days.out)).toBe(2);
    expect(days.errors.join("\n")).toContain("--days");
    const missing = capture();
    expect(await run(["policy", "simulate", "--creditor", "vastkust"], missing.out)).toBe(2);
  });
});

describe("kravportal escalate", () => {
  it("checks its date and prints a summary in a dry run without writing", async () => {
    const bad = capture();
    expect(await run(["escalate", "--as-of", "2026-13-01"], bad.out)).toBe(2);
    const c = capture();
    expect(await run(["escalate", "--as-of", "2020-01-01", "--dry-run"], c.out)).toBe(0);
    const text = c.lines.join("\n");
    expect(text).toContain("dry run: nothing written");
    expect(text).toMatch(/claims examined: +0/);
  });

  it("sends the letters it wrote, dated that day: on paper in one print batch", async () => {
    const slug = `cli-letters-${process.pid}`;
    const { caller } = await createTestCreditor(slug);
    const received = await receiveClaim(
      caller,
      {
        externalId: "L-1",
        claimType: "water",
        resident: {
          // A resident of this test's own: other files give theirs other addresses.
          nationalId: ownResident(),
          name: "Oda Outbox",
          address: { lines: ["Storgata 1"], postalCode: "2408", city: "Elverum" },
        },
        description: "Vann og avløp",
        currency: "NOK",
        principal: 120_000,
        issuedOn: "2026-01-01",
        dueOn: "2026-02-02",
      },
      new Date("2026-02-03T12:00:00Z"),
    );
    if (received.kind !== "created") throw new Error(JSON.stringify(received));
    const c = capture();
    expect(await run(["escalate", "--as-of", "2026-02-23", "--creditor", slug], c.out)).toBe(0);
    expect(c.lines.join("\n")).toContain("1 on paper in 1 print batch(es)");
    const [notice] = await db().notice.findMany({ where: { claimId: received.claim.id } });
    expect(notice).toMatchObject({ status: "DISPATCHED", channel: "PRINT" });
    expect(notice!.dispatchedOn!.toISOString().slice(0, 10)).toBe("2026-02-23");

    // Nothing left to batch; a bad call is refused.
    const again = capture();
    expect(await run(["print-batch", "--creditor", slug], again.out)).toBe(0);
    expect(again.lines.join("\n")).toContain("No paper letters are waiting");
    const unknown = capture();
    expect(await run(["print-batch", "--creditor", "no-such-creditor"], unknown.out)).toBe(1);
    expect(unknown.errors.join("\n")).toContain("no-such-creditor");
    expect(await run(["print-batch"], capture().out)).toBe(2);
  });
});

describe("kravportal staff create", () => {
  const email = `cli-staff-${process.pid}@example.test`;

  it("prints a one-time password and an otpauth URI, one labelled line each", async () => {
    const c = capture();
    const args = ["staff", "create", "--email", email, "--creditor", "elvdal"];
    expect(
      await run(
        [...args, "--creditor", "vastkust", "--role", "supervisor", "--name", "Kari"],
        c.out,
      ),
    ).toBe(0);
    const text = c.lines.join("\n");
    const password = /^One-time password: (\S{12,})$/m.exec(text)?.[1];
    const uri = /^Authenticator \(TOTP\) URI: (otpauth:\/\/totp\/\S+)$/m.exec(text)?.[1];
    expect(password).toBeDefined();
    expect(uri).toContain("issuer=Kravportal");
    const { db } = await import("../app/infra/db.server.ts");
    const row = await db().staff.findUniqueOrThrow({
      where: { email },
      include: { creditors: true },
    });
    expect(row).toMatchObject({ name: "Kari", role: "SUPERVISOR", mustChangePassword: true });
    expect(row.creditors).toHaveLength(2);
  });

  it("refuses an existing email or unknown creditor (1) and a bad role or missing option (2)", async () => {
    const taken = capture();
    const base = ["staff", "create", "--creditor", "elvdal", "--role", "agent"];
    expect(await run([...base, "--email", email], taken.out)).toBe(1);
    expect(taken.errors.join("\n")).toContain("already exists");
    const unknown = capture();
    const other = ["--email", `other-${process.pid}@example.test`];
    expect(await run([...base, ...other, "--creditor", "nowhere"], unknown.out)).toBe(1);
    expect(unknown.errors.join("\n")).toContain('No creditor with slug "nowhere"');
    const role = capture();
    expect(
      await run(["staff", "create", ...other, "--creditor", "elvdal", "--role", "boss"], role.out),
    ).toBe(2);
    expect(role.errors.join("\n")).toContain("agent, supervisor or admin");
    const missing = capture();
    expect(await run(["staff", "create", "--email", "a@b.se"], missing.out)).toBe(2);
    expect(missing.errors.join("\n")).toContain("--creditor, --role");
    const badEmail = capture();
    expect(await run([...base, "--email", "not-an-email"], badEmail.out)).toBe(2);
    expect(badEmail.errors.join("\n")).toContain("Not an email address");
  });
});

describe("kravportal staff disable | enable | reset-password | reset-totp", () => {
  const email = `cli-manage-${process.pid}@example.test`;
  const login = async (password: string, uri: string, when: Date) => {
    const { URI } = await import("otpauth");
    const { verifyStaffLogin } = await import("../app/services/identity/staff-auth.server.ts");
    const code = URI.parse(uri).generate({ timestamp: when.getTime() });
    return verifyStaffLogin(email, password, code, when);
  };
  const field = (c: ReturnType<typeof capture>, label: string) =>
    new RegExp(`^${label}: (\\S+)$`, "m").exec(c.lines.join("\n"))?.[1];

  it("disables and enables sign-in, and prints new credentials once", async () => {
    const created = capture();
    const create = ["staff", "create", "--email", email, "--creditor", "elvdal", "--role", "agent"];
    expect(await run(create, created.out)).toBe(0);
    let password = field(created, "One-time password")!;
    let uri = field(created, "Authenticator \\(TOTP\\) URI")!;
    const t = Date.parse("2026-04-01T10:00:00Z");

    const disabled = capture();
    expect(await run(["staff", "disable", "--email", email], disabled.out)).toBe(0);
    expect(disabled.lines.join("\n")).toContain("disabled");
    expect(await login(password, uri, new Date(t))).toMatchObject({ ok: false });
    expect(await run(["staff", "enable", "--email", email], capture().out)).toBe(0);
    expect(await login(password, uri, new Date(t + 30_000))).toMatchObject({ ok: true });

    const reset = capture();
    expect(await run(["staff", "reset-password", "--email", email], reset.out)).toBe(0);
    const fresh = field(reset, "One-time password")!;
    expect(fresh).not.toBe(password);
    expect(await login(password, uri, new Date(t + 60_000))).toMatchObject({ ok: false });
    password = fresh;
    expect(await login(password, uri, new Date(t + 60_000))).toEqual({
      ok: true,
      staffId: expect.any(String),
      mustChangePassword: true,
    });

    const totp = capture();
    expect(await run(["staff", "reset-totp", "--email", email], totp.out)).toBe(0);
    const newUri = field(totp, "Authenticator \\(TOTP\\) URI")!;
    expect(newUri).toMatch(/^otpauth:\/\/totp\//);
    expect(await login(password, uri, new Date(t + 90_000))).toMatchObject({ ok: false });
    uri = newUri;
    expect(await login(password, uri, new Date(t + 90_000))).toMatchObject({ ok: true });

    const { db } = await import("../app/infra/db.server.ts");
    const types = await db().event.findMany({
      where: {
        actor: "cli",
        type: { startsWith: "staff." },
        data: { path: ["email"], equals: email },
      },
      orderBy: { id: "asc" },
    });
    expect(types.map((e) => e.type)).toEqual([
      "staff.created",
      "staff.disabled",
      "staff.enabled",
      "staff.password_reset",
      "staff.totp_reset",
    ]);
  });

  it("refuses an unknown email (1) and a missing or unknown option (2)", async () => {
    const unknown = capture();
    expect(await run(["staff", "disable", "--email", "nobody@example.test"], unknown.out)).toBe(1);
    expect(unknown.errors.join("\n")).toContain('No staff member with email "nobody@example.test"');
    const missing = capture();
    expect(await run(["staff", "reset-totp"], missing.out)).toBe(2);
    expect(missing.errors.join("\n")).toContain("staff reset-totp needs --email");
    const extra = capture();
    expect(await run(["staff", "enable", "--email", email, "--role", "x"], extra.out)).toBe(2);
  });
});

describe("kravportal import-claims", () => {
  it("stores a file's good lines, lists the bad ones, and stores nothing twice when run again", async () => {
    const { creditor } = await createTestCreditor(
      `cli-import-${process.pid}-${Date.now().toString(36)}`,
    );
    const { norwegianIds } = await import("./test-support/claim-rows.ts");
    const [a, b] = norwegianIds(2, 60_000 + (process.pid % 1000) * 2);
    const file = path.join(tmpdir(), `claims-${process.pid}-${Date.now()}.csv`);
    const head =
      "externalId;claimType;nationalId;name;description;currency;principal;issuedOn;dueOn";
    await writeFile(
      file,
      [
        head,
        `CLI-1;water;${a};Per Berg;Vann;NOK;1000;2026-08-01;2026-09-01`,
        `CLI-2;water;${b};Ola Berg;Vann;NOK;1000;2026-08-01;2026-07-01`,
        `CLI-3;water;${b};Ola Berg;Vann;NOK;2000;2026-08-01;2026-09-01`,
      ].join("\r\n"),
    );
    const first = capture();
    expect(await run(["import-claims", file, "--creditor", creditor.slug], first.out)).toBe(1);
    const text = first.lines.join("\n");
    expect(text).toMatch(/stored now: +2/);
    expect(text).toContain("line 3 (CLI-2): dueOn must not be before issuedOn");
    const again = capture();
    expect(await run(["import-claims", file, "--creditor", creditor.slug], again.out)).toBe(1);
    expect(again.lines.join("\n")).toMatch(/received before: +2/);
    expect(await db().claim.count({ where: { creditorId: creditor.id } })).toBe(2);
    const missing = capture();
    expect(await run(["import-claims", file], missing.out)).toBe(2);
  });
});
