import { afterAll, describe, expect, it } from "vitest";
import { db, disconnectDb } from "./db.server";
import { getResidentSession, residentSessionStorage } from "./session.server";

afterAll(() => disconnectDb());

async function newSessionCookie(data: Record<string, unknown>) {
  const storage = residentSessionStorage();
  const session = await storage.getSession();
  for (const [k, v] of Object.entries(data)) session.set(k, v);
  const setCookie = await storage.commitSession(session);
  return { cookie: setCookie.split(";")[0]!, id: session.id };
}

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
});
