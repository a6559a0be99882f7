import type { IncomingMessage } from "node:http";
import { Readable } from "node:stream";
import busboy from "busboy";

/**
 * The one gate every request body passes before a route sees it (server/web.ts): read by its
 * content type, within limits, and checked before anything reaches a parser that could throw or a
 * column that could refuse it. What passes is handed on re-encoded by the platform (URLSearchParams,
 * FormData), so every action's own `request.formData()` reads a body it is sure to understand.
 */

/** Why a request was turned away; server/web.ts answers each with its status and page. */
export type RefusalKind = "badUrl" | "badRequest" | "controlChars" | "tooLarge" | "unsupported";
export type Refusal = { refused: true; status: 400 | 413 | 415; kind: RefusalKind; detail: string };

const refuse = (status: Refusal["status"], kind: RefusalKind, detail: string): Refusal => ({
  refused: true,
  status,
  kind,
  detail,
});

/**
 * C0 and C1 control characters other than tab, line feed and carriage return. PostgreSQL refuses
 * NUL in text outright (a 500 before this gate); the others are invisible in every page and
 * letter, so no resident or staff member can have meant them.
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;

const decodeStrict = (bytes: Uint8Array): string | null => {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
};

/** Percent-decoding that fails on a malformed escape or bytes that are not UTF-8. */
function decodeComponent(raw: string): string | null {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
}

/**
 * The path and query of a request: each %-escape must be well formed and UTF-8, and nothing may
 * decode to a control character (`/api/v1/claims/X%00` reached PostgreSQL as a NUL).
 */
export function checkTarget(originalUrl: string): Refusal | null {
  const at = originalUrl.indexOf("?");
  const path = at === -1 ? originalUrl : originalUrl.slice(0, at);
  const query = at === -1 ? "" : originalUrl.slice(at + 1);
  const parts = [path, ...query.split("&").flatMap((pair) => pair.replace(/\+/g, " ").split("="))];
  for (const part of parts) {
    const decoded = decodeComponent(part);
    if (decoded === null) return refuse(400, "badUrl", "The address has a malformed %-escape.");
    if (CONTROL_CHARS.test(decoded))
      return refuse(400, "badUrl", "The address contains control characters.");
  }
  return null;
}

/**
 * The body, at most `limit` bytes. A declared length over the limit is refused before a byte is
 * read; a body that grows past it while streaming is refused at that point.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | Refusal> {
  const tooLarge = refuse(413, "tooLarge", `The body is larger than ${limit} bytes.`);
  const declared = Number(req.headers["content-length"] ?? NaN);
  if (Number.isFinite(declared) && declared > limit) return tooLarge;
  // Not `for await`: leaving that loop early destroys the socket, and the 413 would never arrive.
  // Paused instead; the answer goes out with `Connection: close`.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) return void chunks.push(chunk);
      settled = true;
      req.off("data", onData);
      req.pause();
      resolve(tooLarge);
    };
    req.on("data", onData);
    req.once("end", () => {
      if (!settled) resolve(Buffer.concat(chunks));
    });
    req.once("error", (error) => {
      if (!settled) reject(error);
    });
  });
}

/** The media type alone, lower case: "multipart/form-data; boundary=x" → "multipart/form-data". */
export function mediaTypeOf(contentType: string | undefined): string {
  return (contentType ?? "").split(";")[0]!.trim().toLowerCase();
}

export type FormLimits = {
  /** Largest file part kept whole; one byte more is kept so the route can say "too large". */
  fileBytes: number;
  files: number;
  fields: number;
  fieldBytes: number;
};

export const DEFAULT_FORM_LIMITS: Omit<FormLimits, "fileBytes"> = {
  files: 20,
  fields: 200,
  fieldBytes: 100 * 1024,
};

/** A form body as the platform will re-encode it for the route, or why it was refused. */
export async function admitForm(
  contentType: string | undefined,
  bytes: Buffer,
  limits: FormLimits,
): Promise<{ refused: false; body: URLSearchParams | FormData } | Refusal> {
  const type = mediaTypeOf(contentType);
  if (type === "" && bytes.length === 0) return { refused: false, body: new URLSearchParams() };
  if (type === "application/x-www-form-urlencoded") return admitUrlEncoded(bytes, limits);
  if (type === "multipart/form-data") return admitMultipart(contentType!, bytes, limits);
  return refuse(
    415,
    "unsupported",
    "Send forms as application/x-www-form-urlencoded or multipart/form-data.",
  );
}

function checkField(name: string, value: string, limits: FormLimits): Refusal | null {
  if (CONTROL_CHARS.test(name) || CONTROL_CHARS.test(value)) {
    return refuse(400, "controlChars", `The field "${name.slice(0, 40)}" has control characters.`);
  }
  if (value.length > limits.fieldBytes) return refuse(413, "tooLarge", "A field is too long.");
  return null;
}

function admitUrlEncoded(
  bytes: Buffer,
  limits: FormLimits,
): { refused: false; body: URLSearchParams } | Refusal {
  const text = decodeStrict(bytes);
  if (text === null) return refuse(400, "badRequest", "The form is not UTF-8.");
  const params = new URLSearchParams(text);
  let count = 0;
  for (const [name, value] of params) {
    if (++count > limits.fields) return refuse(413, "tooLarge", "The form has too many fields.");
    // A malformed escape stays as typed (URL standard); a NUL or other control character does not.
    const problem = checkField(name, value, limits);
    if (problem) return problem;
  }
  return { refused: false, body: params };
}

/**
 * A file name is a label the route cleans further; control characters (which no browser sends)
 * are dropped here already, so the re-encoded body stays readable for every parser after this.
 */
const cleanName = (name: string | undefined) =>
  (name ?? "").replace(new RegExp(CONTROL_CHARS.source, "g"), "");

/**
 * multipart/form-data by busboy (RFC 7578): any legal file name, quoted (`"report (v=2).pdf"`,
 * `"faktura;2026.pdf"`) or extended (`filename*=UTF-8''…`), with its path kept so a route can
 * refuse a name like `<script>alert(1)</script>.pdf` instead of meeting a cut-down `script>.pdf`.
 */
function admitMultipart(
  contentType: string,
  bytes: Buffer,
  limits: FormLimits,
): Promise<{ refused: false; body: FormData } | Refusal> {
  return new Promise((resolve) => {
    let settled = false;
    const done = (result: { refused: false; body: FormData } | Refusal) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: { "content-type": contentType },
        preservePath: true,
        defParamCharset: "utf8",
        limits: {
          fileSize: limits.fileBytes + 1,
          files: limits.files,
          fields: limits.fields,
          fieldSize: limits.fieldBytes + 1,
          parts: limits.files + limits.fields,
        },
      });
    } catch {
      done(refuse(400, "badRequest", "The multipart form has no usable boundary."));
      return;
    }
    const form = new FormData();
    const pending: Promise<void>[] = [];
    parser.on("field", (name, value, info) => {
      if (info.valueTruncated) return done(refuse(413, "tooLarge", "A field is too long."));
      const problem = checkField(name, value, limits);
      if (problem) return done(problem);
      form.append(name, value);
    });
    parser.on("file", (name, stream, info) => {
      if (CONTROL_CHARS.test(name)) {
        stream.resume();
        return done(refuse(400, "controlChars", "A field name has control characters."));
      }
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      pending.push(
        new Promise((fileDone) =>
          stream.on("end", () => {
            const type = /^[\w.+-]+\/[\w.+-]+$/.test(info.mimeType) ? info.mimeType : "";
            form.append(
              name,
              new File([new Uint8Array(Buffer.concat(chunks))], cleanName(info.filename), { type }),
            );
            fileDone();
          }),
        ),
      );
    });
    parser.on("filesLimit", () => done(refuse(413, "tooLarge", "Too many files.")));
    parser.on("fieldsLimit", () => done(refuse(413, "tooLarge", "Too many fields.")));
    parser.on("partsLimit", () => done(refuse(413, "tooLarge", "Too many parts.")));
    parser.on("error", () => done(refuse(400, "badRequest", "The multipart form is malformed.")));
    parser.on("close", () => {
      void Promise.all(pending).then(() => done({ refused: false, body: form }));
    });
    Readable.from([bytes]).pipe(parser);
  });
}

/**
 * A JSON body for the API: well-formed JSON is checked for control characters in every key and
 * string (refused with the JSON path, as the API's other field errors are). Malformed JSON is left
 * to the route, which names it in its own problem document.
 */
export function checkJson(bytes: Buffer): { path: string } | null {
  const text = decodeStrict(bytes);
  if (text === null) return { path: "(body)" };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  const walk = (v: unknown, path: string): { path: string } | null => {
    if (typeof v === "string") return CONTROL_CHARS.test(v) ? { path } : null;
    if (Array.isArray(v)) {
      for (const [i, item] of v.entries()) {
        const found = walk(item, `${path}[${i}]`);
        if (found) return found;
      }
      return null;
    }
    if (v && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        const here = path ? `${path}.${k}` : k;
        if (CONTROL_CHARS.test(k)) return { path: here };
        const found = walk(item, here);
        if (found) return found;
      }
    }
    return null;
  };
  return walk(value, "");
}
