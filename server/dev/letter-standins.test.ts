import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseEnv } from "../../app/infra/env.server";
import { letterIntegrationsFrom } from "../../app/integrations/digital-mail/configured.server";
import { letter } from "../../app/integrations/digital-mail/test-letters";
import { startLetterStandins, type LetterStandins } from "./letter-standins";

describe("startLetterStandins with the app's configured integrations", () => {
  let s: LetterStandins;
  beforeAll(async () => {
    s = await startLetterStandins({ statusDelayMs: null });
  });
  afterAll(() => s.close());

  it("gives the environment that makes every client talk to its stand-in", async () => {
    const e = parseEnv({
      ...process.env,
      ...s.env.krr,
      ...s.env.eformidling,
      ...s.env.kivra,
      ...s.env.far,
    });
    const app = letterIntegrationsFrom(e);
    expect((await app.krr!.lookup(["18845610009"])).get("18845610009")?.mailbox?.provider).toBe(
      "digipost",
    );
    expect(
      (await app.far!("2321000131").lookup(["195403129827"])).get("195403129827")?.mailbox
        ?.provider,
    ).toBe("kivra");
    expect((await app.eformidling!.send(letter("05928310010"))).provider).toBe("eboks");
    expect((await app.kivra!.send(letter("195403129827"))).provider).toBe("kivra");
  });

  it("without the variables there are no clients, and half a group is refused", () => {
    const app = letterIntegrationsFrom(parseEnv({ ...process.env }));
    expect(app).toEqual({ krr: null, far: null, eformidling: null, kivra: null });
    expect(() => parseEnv({ ...process.env, KRR_URL: s.krr.url })).toThrow(
      /MASKINPORTEN_CLIENT_ID: must be set/,
    );
    expect(() => parseEnv({ ...process.env, ...s.env.kivra, KIVRA_TENANT_KEY: undefined })).toThrow(
      /KIVRA_TENANT_KEY/,
    );
  });
});

describe("the stand-ins stay out of the app", () => {
  it("no file under app/ but a test imports server/dev", () => {
    const root = path.resolve(__dirname, "../../app");
    const files = (readdirSync(root, { recursive: true }) as string[]).filter(
      (f) => /\.(ts|tsx)$/.test(f) && !/\.test\.tsx?$/.test(f) && !f.startsWith("generated"),
    );
    const offenders = files.filter((f) =>
      /(?:from|import)\s*\(?\s*["'][^"']*server\/dev\//.test(
        readFileSync(path.join(root, f), "utf8"),
      ),
    );
    expect(files.length).toBeGreaterThan(50);
    expect(offenders).toEqual([]);
  });
});
