import {
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";
import { env } from "./env.server";

export type UploadForm =
  | {
      ok: true;
      fields: Record<string, string>;
      files: { name: string; bytes: Uint8Array }[];
    }
  | { ok: false; error: "tooLarge" };

/**
 * A form with files, read into memory part by part: a part over UPLOAD_MAX_BYTES stops the read
 * at once and becomes a form error, not a 500. Repeated text fields keep their first value.
 */
export async function readUploadForm(request: Request, fileField = "files"): Promise<UploadForm> {
  const handler = unstable_createMemoryUploadHandler({ maxPartSize: env().UPLOAD_MAX_BYTES });
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, handler);
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) return { ok: false, error: "tooLarge" };
    throw e;
  }
  const fields: Record<string, string> = {};
  const files: { name: string; bytes: Uint8Array }[] = [];
  for (const [key, value] of form.entries()) {
    if (typeof value === "string") {
      if (!(key in fields)) fields[key] = value;
    } else if (key === fileField) {
      files.push({ name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) });
    }
  }
  return { ok: true, fields, files };
}
