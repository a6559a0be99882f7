import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "./db.server";
import {
  READ_AND_TOUCH_SQL,
  deleteExpiredSessions,
  getResidentSession,
  residentSessionStorage,
} from "./session.server";
import { pgPool } from "./db.server";

afterAll(() => disconnectDb());

async function newSessionCookie(data: Record<string, unknown>) {
  const storage = residentSessionStorage();
  const session = await storage.getSession();
  for (const [k, v] of Object.entries(data)) session.set(k, v);
  const setCookie = await storage.commitSession(session);
  return { cookie: setCookie.split(";")[0]!, id: session.id };
}

const sessionIdOf = async (name: string) =>
  (await db().session.findFirstOrThrow({ where: { data: { path: ["name"], equals: name } } })).id;

const request = (cookie: string) =>
  new Request("http://localhost/claims", { headers: { Cookie: cookie } });

describe("server-side resident sessions", () => {
  it("keeps only an opaque id in the cookie and the data in the database", async () => {
    const { cookie } = await newSessionCookie({ name: "Astrid Lindqvist", residentId: "r1" });
    expect(cookie).not.toContain("Astrid");
    const session = await getResidentSession(request(cookie));
    expect(session.get("name")).toBe("Astrid Lindqvist");
  });

  it("ends a session that has been idle too long", async () => {
    const { cookie } = await newSessionCookie({ name: "Idle" });
    const rows = await db().session.findMany({
      where: { data: { path: ["name"], equals: "Idle" } },
    });
    await db().session.update({
      where: { id: rows[0]!.id },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const session = await getResidentSession(request(cookie));
    expect(session.get("name")).toBeUndefined();
    expect(await db().session.count({ where: { id: rows[0]!.id } })).toBe(0);
  });

  it("is removed by the worker's cleanup once its idle deadline has passed, and not before", async () => {
    const gone = `Expired ${Math.random()}`;
    const live = `Live ${Math.random()}`;
    await newSessionCookie({ name: gone });
    const { cookie } = await newSessionCookie({ name: live });
    const goneId = await sessionIdOf(gone);
    const now = new Date();
    await db().session.update({
      where: { id: goneId },
      data: { expiresAt: new Date(now.getTime() - 1000) },
    });
    expect(await deleteExpiredSessions(now)).toBeGreaterThanOrEqual(1);
    expect(await db().session.count({ where: { id: goneId } })).toBe(0);
    expect((await getResidentSession(request(cookie))).get("name")).toBe(live);
  });

  it("is revoked at once when its row is deleted (logout, or an operator)", async () => {
    const { cookie } = await newSessionCookie({ name: "Revoked" });
    await db().session.deleteMany({ where: { data: { path: ["name"], equals: "Revoked" } } });
    expect((await getResidentSession(request(cookie))).get("name")).toBeUndefined();
  });

  it("ignores a forged or tampered cookie", async () => {
    const { cookie } = await newSessionCookie({ name: "Real" });
    const [name, value] = cookie.split("=");
    const tampered = `${name}=${value!.slice(0, -3)}abc`;
    expect((await getResidentSession(request(tampered))).get("name")).toBeUndefined();
  });

  it("moves the idle deadline on once a minute, in the read's own statement", async () => {
    const name = `Touched ${Math.random()}`;
    const { cookie } = await newSessionCookie({ name });
    const id = await sessionIdOf(name);
    const old = new Date(Date.now() - 5 * 60_000);
    await db().session.update({
      where: { id },
      data: { lastSeenAt: old, expiresAt: new Date(Date.now() + 60_000) },
    });
    expect((await getResidentSession(request(cookie))).get("name")).toBe(name);
    const touched = await db().session.findUniqueOrThrow({ where: { id } });
    expect(touched.lastSeenAt.getTime()).toBeGreaterThan(old.getTime());
    expect(touched.expiresAt.getTime()).toBeGreaterThan(Date.now() + 60_000);
    // Seen again within the minute: nothing written.
    expect((await getResidentSession(request(cookie))).get("name")).toBe(name);
    const again = await db().session.findUniqueOrThrow({ where: { id } });
    expect(again.lastSeenAt.getTime()).toBe(touched.lastSeenAt.getTime());
  });

  it("refreshes asynchronously for that statement only; the connection stays synchronous", async () => {
    const name = `Async ${Math.random()}`;
    await newSessionCookie({ name });
    const id = await sessionIdOf(name);
    await db().session.update({
      where: { id },
      data: { lastSeenAt: new Date(Date.now() - 5 * 60_000) },
    });
    const conn = await pgPool().connect();
    try {
      const now = Date.now();
      const args = [
        id,
        new Date(now),
        new Date(now + 3_600_000),
        "resident",
        new Date(now - 60_000),
      ];
      const first = await conn.query(READ_AND_TOUCH_SQL, args);
      expect(first.rows[0]).toMatchObject({ kind: "resident", touched: 1 });
      expect((await conn.query("SHOW synchronous_commit")).rows[0].synchronous_commit).toBe("on");
      // A staff cookie's id never refreshes a resident's session, nor an expired one.
      const staff = await conn.query(READ_AND_TOUCH_SQL, [
        ...args.slice(0, 3),
        "staff",
        new Date(now + 1),
      ]);
      expect(staff.rows[0]).toMatchObject({ kind: "resident", touched: 0 });
      await conn.query(`UPDATE "Session" SET "expiresAt" = $2 WHERE id = $1`, [
        id,
        new Date(now - 1),
      ]);
      const expired = await conn.query(READ_AND_TOUCH_SQL, [
        ...args.slice(0, 4),
        new Date(now + 1),
      ]);
      expect(expired.rows[0]).toMatchObject({ touched: 0 });
    } finally {
      conn.release();
    }
  });
});
