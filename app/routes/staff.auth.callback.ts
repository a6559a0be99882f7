import type { LoaderFunctionArgs } from "@remix-run/node";
import { completeStaffOidcLogin, staffOidcConfig } from "~/services/identity/staff-oidc.server";

// Where the municipality's identity provider sends the browser back after sign-in.
export async function loader({ request }: LoaderFunctionArgs) {
  if (!staffOidcConfig()) throw new Response("Not Found", { status: 404 });
  return completeStaffOidcLogin(request);
}
