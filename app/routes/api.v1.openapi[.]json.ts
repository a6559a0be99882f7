import { openApiDocument } from "~/api/openapi";
import { json } from "~/api/http.server";
import { env } from "~/infra/env.server";

export async function loader() {
  return json(openApiDocument(env().PUBLIC_URL));
}
