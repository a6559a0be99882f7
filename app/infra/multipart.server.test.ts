import { describe, expect, it } from "vitest";
import { openMultipart, readUploadForm } from "./multipart.server";

const LIMITS = { fileSize: 1024, files: 2, fields: 10 };

const post = (body: BodyInit, contentType?: string) =>
  new Request("http://localhost/upload", {
    method: "POST",
    body,
    headers: contentType ? { "Content-Type": contentType } : undefined,
  });

function formOf(fields: [string, string][], files: [string, string, string][] = []) {
  const form = new FormData();
  for (const [name, value] of fields) form.append(name, value);
  for (const [name, content, fileName] of files) form.append(name, new Blob([content]), fileName);
  return form;
}

/** What a call threw: the Response's status and text. */
async function refusal(work: () => Promise<unknown>): Promise<{ status: number; text: string }> {
  try {
    await work();
  } catch (thrown) {
    if (thrown instanceof Response) return { status: thrown.status, text: await thrown.text() };
    throw thrown;
  }
  throw new Error("not refused");
}

const skipFiles = async (request: Request) =>
  openMultipart(request, LIMITS).read((_field, stream) => void stream.resume());

describe("openMultipart", () => {
  it("refuses a body that is not multipart, or has no usable boundary, before reading", async () => {
    expect(
      await refusal(async () =>
        openMultipart(post("a=1", "application/x-www-form-urlencoded"), LIMITS),
      ),
    ).toEqual({ status: 400, text: "This form must be sent as multipart/form-data." });
    expect(
      await refusal(async () =>
        openMultipart(post("x", "multipart/form-data; charset=utf-8"), LIMITS),
      ),
    ).toEqual({ status: 400, text: "The multipart form has no usable boundary." });
  });

  it("refuses a malformed form with a 400", async () => {
    const unterminated = '--b\r\nContent-Disposition: form-data; name="a"\r\n\r\nvalue';
    expect(
      await refusal(() => skipFiles(post(unterminated, "multipart/form-data; boundary=b"))),
    ).toEqual({ status: 400, text: "The multipart form is malformed." });
  });

  it("refuses a field with control characters, as the input gate does for other forms", async () => {
    for (const value of ["a\u0000b", "\u001b[31m", "\u0085"]) {
      expect(await refusal(() => skipFiles(post(formOf([["creditorId", value]]))))).toEqual({
        status: 400,
        text: "Control characters are not accepted.",
      });
    }
  });

  it("keeps tabs and line breaks and a repeated field's first value; waits for the caller's work", async () => {
    let written = "";
    const fields = await openMultipart(
      post(
        formOf(
          [
            ["note", "one\ttwo\r\nthree"],
            ["note", "second"],
            ["id", "7"],
          ],
          [["file", "abc", "a.txt"]],
        ),
      ),
      LIMITS,
    ).read((_field, stream, _info, wait) =>
      wait(
        (async () => {
          for await (const chunk of stream) written += String(chunk);
        })(),
      ),
    );
    expect(fields).toEqual({ note: "one\ttwo\r\nthree", id: "7" });
    expect(written).toBe("abc");
  });
});

describe("readUploadForm", () => {
  it("reads fields and the named field's files, file names as sent", async () => {
    const form = await readUploadForm(
      post(
        formOf(
          [["reason", "fee"]],
          [
            ["files", "%PDF-1.4", "faktura;2026 (v=2).pdf"],
            ["other", "ignored", "other.pdf"],
          ],
        ),
      ),
    );
    expect(form.ok).toBe(true);
    if (!form.ok) return;
    expect(form.fields).toEqual({ reason: "fee" });
    expect(form.files.map((f) => [f.name, Buffer.from(f.bytes).toString()])).toEqual([
      ["faktura;2026 (v=2).pdf", "%PDF-1.4"],
    ]);
  });

  it("refuses a field with control characters with a 400", async () => {
    expect(await refusal(() => readUploadForm(post(formOf([["text", "a\u0000b"]]))))).toMatchObject(
      { status: 400 },
    );
  });
});
