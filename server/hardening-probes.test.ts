// The reproductions of the hardening review (issue 19), each against the real web server: every
// one of these failed before the fix it names.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/infra/db.server";
import {
  auth,
  base,
  field,
  hasBuild,
  ids,
  multipart,
  probe,
  startProbeServer,
  stopProbeServer,
  TARGETS,
} from "./test-support/probe-server.ts";

beforeAll(async () => {
  if (hasBuild) await startProbeServer();
}, 120_000);
afterAll(() => stopProbeServer());

const target = (path: string, who: keyof typeof auth = "none") => ({
  path: () => path,
  who,
  fields: [],
});
const form = (fields: Record<string, string>) => ({
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});
const json = (body: unknown) => ({
  headers: { "Content-Type": "application/json" },
  body: JSON.stringify(body),
});
const ONE_PAGE_PDF =
  "%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R OPEN >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\nEXTRAtrailer << /Root 1 0 R >>\n%%EOF\n";
const pdf = (open = "", extra = "") => ONE_PAGE_PDF.replace("OPEN", open).replace("EXTRA", extra);

function dispute(files: { name: string; body: string }[]) {
  return multipart([
    field("intent", "file"),
    field("reason", "OTHER"),
    field("text", "The amount is wrong."),
    ...files.map(
      (f) =>
        `Content-Disposition: form-data; name="files"; ${f.name}\r\nContent-Type: application/octet-stream\r\n\r\n${f.body}`,
    ),
  ]);
}
const disputeTarget = () => TARGETS.find((t) => t.files === "files")!;

async function newestDisputeFiles() {
  const d = await db().dispute.findFirstOrThrow({
    where: { claimId: ids.claimId },
    orderBy: { createdAt: "desc" },
    include: { attachments: { orderBy: { fileName: "desc" } } },
  });
  return d.attachments.map((a) => [a.fileName, a.contentType]);
}

describe.skipIf(!hasBuild)("the hardening review's reproductions", () => {
  it("2: a form posted as JSON, text/plain, empty multipart or broken multipart is a 4xx page", async () => {
    for (const init of [
      json({ returnTo: "/claims" }),
      { headers: { "Content-Type": "text/plain" }, body: "returnTo=/claims" },
      { headers: { "Content-Type": "multipart/form-data; boundary=x" }, body: "" },
      { headers: { "Content-Type": "multipart/form-data; boundary=x" }, body: "--x\r\nbroken" },
    ]) {
      const sent = await probe("POST /login", target("/login"), init);
      expect([400, 415]).toContain(sent.status);
      expect(sent.text).toMatch(/<h1>[^<]+<\/h1>/);
    }
  });

  it("2: a body over the limit is a 413 page, streamed without a length too", async () => {
    const big = `text=${"x".repeat(300_000)}`;
    const declared = await probe("declared", target("/help", "resident"), form({ text: big }));
    expect(declared.status).toBe(413);
    const chunks = [big.slice(0, 150_000), big.slice(150_000)];
    const res = await fetch(`${base}/help`, {
      method: "POST",
      headers: { Origin: base, ...auth.resident, ...form({}).headers },
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next) controller.enqueue(new TextEncoder().encode(next));
          else controller.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("Too much was sent");
  });

  it("2: NUL in the dispute text, the staff login email and the admin's new-staff name is a 400", async () => {
    const nul = "a\u0000b";
    const cases = [
      [
        disputeTarget(),
        dispute([]).headers,
        multipart([field("intent", "file"), field("reason", "OTHER"), field("text", nul)]).body,
      ],
      [
        target("/staff/login"),
        form({}).headers,
        form({ email: `x${nul}@example.test`, password: "p", code: "123456" }).body,
      ],
      [
        target("/staff/admin", "staff"),
        form({}).headers,
        form({ intent: "create", email: "new@example.test", name: nul, role: "AGENT" }).body,
      ],
    ] as const;
    for (const [t, headers, body] of cases) {
      const sent = await probe(`NUL to ${t.path()}`, t, { headers: { ...headers }, body });
      expect(sent.status).toBe(400);
      expect(sent.text).toContain("control characters");
    }
  });

  it("2: GET /api/v1/claims/X%00 is a 400, not PostgreSQL's 22021", async () => {
    const res = await fetch(`${base}/api/v1/claims/X%00`, { headers: auth.api });
    expect(res.status).toBe(400);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
  });

  it("2: POST /api/v1/claims with a NUL in description, or dueOn 9999-12-31, is a 400", async () => {
    const intake = target("/api/v1/claims", "api");
    const claim = {
      externalId: `PROBE-${process.pid}`,
      claimType: "water",
      resident: { nationalId: "14876810183", name: "Per Olsen" },
      description: "Vann",
      currency: "NOK",
      principal: 250_000,
      issuedOn: "2026-08-01",
      dueOn: "2026-09-01",
    };
    const nul = await probe("NUL description", intake, json({ ...claim, description: "a\u0000b" }));
    expect(nul.status).toBe(400);
    expect(JSON.parse(nul.text).errors).toEqual([
      {
        path: "description",
        message: "must not contain control characters",
        code: "control_characters",
      },
    ]);
    const far = await probe("dueOn 9999-12-31", intake, json({ ...claim, dueOn: "9999-12-31" }));
    expect(far.status).toBe(400);
    expect(JSON.parse(far.text).errors).toEqual([
      expect.objectContaining({ path: "dueOn", message: expect.stringContaining("1900–2199") }),
    ]);
  });

  it("2: POST to /api/v1/claims/batch without a claims array is a 400 problem document naming it", async () => {
    const sent = await probe("POST batch", target("/api/v1/claims/batch", "api"), json({}));
    expect(sent.status).toBe(400);
    expect(JSON.parse(sent.text)).toMatchObject({
      title: "Bad Request",
      status: 400,
      errors: [{ path: "claims", message: "must be an array of claims" }],
    });
    expect(sent.text).not.toContain("Unexpected Server Error");
  });

  it("3: a resident can send documents named report (v=2).pdf and faktura;2026.pdf", async () => {
    const sent = await probe(
      "dispute with = and ;",
      disputeTarget(),
      dispute([
        { name: 'filename="report (v=2).pdf"', body: pdf() },
        { name: 'filename="faktura;2026.pdf"', body: pdf() },
      ]),
    );
    expect(sent.status).toBe(303);
    expect(await newestDisputeFiles()).toEqual([
      ["report (v=2).pdf", "application/pdf"],
      ["faktura;2026.pdf", "application/pdf"],
    ]);
  });

  it("4: a name follows the content, U+202E is dropped, markup and PDF scripts are refused", async () => {
    const refused = [
      {
        name: 'filename="<script>alert(1)</script>.pdf"',
        body: pdf(),
        says: "file name contains code",
      },
      {
        name: 'filename="letter.pdf"',
        body: pdf(
          "/OpenAction 4 0 R",
          "4 0 obj << /S /JavaScript /JS (app.alert\\(1\\)) >> endobj\n",
        ),
        says: "scripts or actions",
      },
    ];
    for (const f of refused) {
      const sent = await probe(`refused ${f.name}`, disputeTarget(), dispute([f]));
      expect(sent.status).toBe(200); // the form again, with the reason; nothing stored
      expect(sent.text).toContain(f.says);
    }
    const sent = await probe(
      "renamed",
      disputeTarget(),
      dispute([
        { name: 'filename="page.html"', body: pdf() },
        { name: "filename*=UTF-8''kvitto%E2%80%AEfdp.exe", body: pdf() },
      ]),
    );
    expect(sent.status).toBe(303);
    expect(await newestDisputeFiles()).toEqual([
      ["page.pdf", "application/pdf"],
      ["kvittofdp.pdf", "application/pdf"],
    ]);
  });

  it("2: a bank file whose name carries a NUL is imported under a clean name", async () => {
    const bank = TARGETS.find((t) => t.files === "file")!;
    const camt = `<?xml version="1.0"?><Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.054.001.08"><BkToCstmrDbtCdtNtfctn><GrpHdr><MsgId>PROBE-${process.pid}</MsgId></GrpHdr><Ntfctn><Ntry><Amt Ccy="NOK">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><BookgDt><Dt>2026-03-02</Dt></BookgDt></Ntry></Ntfctn></BkToCstmrDbtCdtNtfctn></Document>`;
    const sent = await probe(
      "bank file with NUL name",
      bank,
      multipart([
        `Content-Disposition: form-data; name="file"; filename*=UTF-8''camt%00%07.xml\r\nContent-Type: text/xml\r\n\r\n${camt}`,
      ]),
    );
    expect(sent.status).toBe(200);
    const event = await db().event.findFirstOrThrow({
      where: {
        type: "bank_file.imported",
        data: { path: ["fileId"], equals: `PROBE-${process.pid}` },
      },
    });
    expect((event.data as { fileName: string }).fileName).toBe("camt.xml");
  });

  it("5: returnTo=/\\evil.example stays on the site, after /language and at login", async () => {
    const lang = await probe(
      "language",
      target("/language"),
      form({ lang: "sv", returnTo: "/\\evil.example" }),
    );
    expect(new URL(lang.location!, base).origin).toBe(base);
    const login = await probe("login", target("/login"), form({ returnTo: "/\\evil.example" }));
    expect(login.status).toBe(302);
    expect(new URL(login.location!).origin).not.toBe(base); // on to the eID, as it should
    const [pending] = await db().session.findMany({
      where: { kind: "resident" },
      orderBy: { createdAt: "desc" },
      take: 1,
    });
    const data = pending!.data as { pendingLogin?: { returnTo: string } };
    expect(data.pendingLogin?.returnTo).toBe("/claims");
  });

  it("6: the Origin check trusts PUBLIC_URL, not the Host header", async () => {
    const res = await fetch(`${base}/language`, {
      method: "POST",
      headers: { Origin: "http://evil.example", Host: "evil.example", ...form({}).headers },
      body: "lang=sv",
      redirect: "manual",
    });
    expect(res.status).toBe(403);
  });
});
