import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { env } from "./env.server";
import { CONTROL_CHARS } from "./input-boundary.server";

export type MultipartLimits = { fileSize: number; files: number; fields: number };

/**
 * A file part as busboy hands it on: the caller reads the stream (or resumes it to skip it) and
 * hands any work that must end before the form counts as read (a write to disk) to `wait`.
 */
export type OnFile = (
  field: string,
  stream: Readable,
  info: busboy.FileInfo,
  wait: (work: Promise<void>) => void,
) => void;

export type OpenMultipart = {
  /**
   * Reads the whole body, each file part by `onFile`. Resolves with the text fields (a repeated
   * field keeps its first value). A malformed form, or a field with control characters, throws
   * a 400.
   */
  read(onFile: OnFile): Promise<Record<string, string>>;
};

/**
 * A multipart/form-data body, opened for reading part by part with busboy (RFC 7578), the one way
 * every upload here is read: the dispute form's attachments (`readUploadForm`), and the claims and
 * bank files that are streamed to disk past the input gate (server/input-gate.ts). A body that is
 * not multipart or has no usable boundary is refused with a 400 at once, before the caller prepares
 * anything. `preservePath` keeps the path a browser may send with a file name (the caller decides
 * what to keep of it). Since the streamed forms are not read by the input gate, its rule for fields
 * holds here for all of them: a field with control characters is a 400.
 */
export function openMultipart(
  request: Request,
  limits: MultipartLimits,
  { preservePath = false } = {},
): OpenMultipart {
  const contentType = request.headers.get("content-type") ?? "";
  const body = request.body;
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !body)
    throw new Response("This form must be sent as multipart/form-data.", { status: 400 });
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      preservePath,
      defParamCharset: "utf8",
      limits,
    });
  } catch {
    throw new Response("The multipart form has no usable boundary.", { status: 400 });
  }
  return {
    async read(onFile) {
      const fields: Record<string, string> = {};
      let controlChars = false;
      const pending: Promise<void>[] = [];
      parser.on("field", (name, value) => {
        if (CONTROL_CHARS.test(value)) controlChars = true;
        if (!(name in fields)) fields[name] = value;
      });
      parser.on("file", (field, stream, info) =>
        onFile(field, stream, info, (work) => pending.push(work)),
      );
      try {
        await pipeline(Readable.fromWeb(body as NodeReadableStream<Uint8Array>), parser);
        await Promise.all(pending);
      } catch {
        throw new Response("The multipart form is malformed.", { status: 400 });
      }
      if (controlChars) throw new Response("Control characters are not accepted.", { status: 400 });
      return fields;
    },
  };
}

export type UploadForm =
  | {
      ok: true;
      fields: Record<string, string>;
      files: { name: string; bytes: Uint8Array }[];
    }
  /** A file over the limit: the other fields as sent (a form shown again keeps what was typed). */
  | { ok: false; error: "tooLarge"; fields: Record<string, string>; fileName: string };

/**
 * A form with files, held in memory: any file name a browser may send, quoted or extended, is
 * read as sent, path included (the route decides what to keep of it). Remix's own parser refused
 * names with `=` or `;` ("malformed content-disposition header"), so `faktura;2026.pdf` could
 * never be sent. A part over UPLOAD_MAX_BYTES is cut off and becomes a form error; a body that is
 * not a multipart form at all is a 400 (`openMultipart`). Repeated text fields keep their first
 * value.
 */
export async function readUploadForm(request: Request, fileField = "files"): Promise<UploadForm> {
  const form = openMultipart(
    request,
    { fileSize: env().UPLOAD_MAX_BYTES, files: 20, fields: 200 },
    { preservePath: true },
  );
  const files: { name: string; bytes: Uint8Array }[] = [];
  let tooLarge: string | null = null;
  const fields = await form.read((name, stream, info, wait) => {
    const chunks: Buffer[] = [];
    stream.on("limit", () => (tooLarge ??= info.filename ?? ""));
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    wait(
      new Promise((ended) =>
        stream.on("close", () => {
          if (name === fileField)
            files.push({ name: info.filename ?? "", bytes: new Uint8Array(Buffer.concat(chunks)) });
          ended();
        }),
      ),
    );
  });
  if (tooLarge !== null) return { ok: false, error: "tooLarge", fields, fileName: tooLarge };
  return { ok: true, fields, files };
}
