import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import busboy from "busboy";
import { env } from "./env.server";

export type UploadForm =
  | {
      ok: true;
      fields: Record<string, string>;
      files: { name: string; bytes: Uint8Array }[];
    }
  | { ok: false; error: "tooLarge" };

/**
 * A form with files, read part by part with busboy (RFC 7578): any file name a browser may send,
 * quoted or extended, is read as sent, path included (the route decides what to keep of it).
 * Remix's own parser refused names with `=` or `;` ("malformed content-disposition header"), so
 * `faktura;2026.pdf` could never be sent. A part over UPLOAD_MAX_BYTES stops the read at once and
 * is cut off and becomes a form error; a body that is not a multipart form at all is a 400. Repeated text fields
 * keep their first value.
 */
export async function readUploadForm(request: Request, fileField = "files"): Promise<UploadForm> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType) || !request.body) {
    throw new Response("This form must be sent as multipart/form-data.", { status: 400 });
  }
  const maxBytes = env().UPLOAD_MAX_BYTES;
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      preservePath: true,
      defParamCharset: "utf8",
      limits: { fileSize: maxBytes, files: 20, fields: 200 },
    });
  } catch {
    throw new Response("The multipart form has no usable boundary.", { status: 400 });
  }
  const fields: Record<string, string> = {};
  const files: { name: string; bytes: Uint8Array }[] = [];
  let tooLarge = false;
  const reading: Promise<void>[] = [];
  const done = new Promise<void>((resolve, reject) => {
    parser.on("field", (name, value) => {
      if (!(name in fields)) fields[name] = value;
    });
    parser.on("file", (name, stream, info) => {
      const chunks: Buffer[] = [];
      stream.on("limit", () => (tooLarge = true));
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      reading.push(
        new Promise((ended) =>
          stream.on("close", () => {
            if (name === fileField)
              files.push({
                name: info.filename ?? "",
                bytes: new Uint8Array(Buffer.concat(chunks)),
              });
            ended();
          }),
        ),
      );
    });
    parser.on("close", resolve);
    parser.on("error", reject);
  });
  Readable.fromWeb(request.body as NodeReadableStream<Uint8Array>).pipe(parser);
  try {
    await done;
    await Promise.all(reading);
  } catch {
    throw new Response("The multipart form is malformed.", { status: 400 });
  }
  if (tooLarge) return { ok: false, error: "tooLarge" };
  return { ok: true, fields, files };
}
