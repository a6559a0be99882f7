import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { beginStaffOidcLogin, staffOidcConfig } from "~/services/identity/staff-oidc.server";

// Starts a sign-in through the municipality's identity provider (a form post from the login page).
export async function loader() {
  if (!staffOidcConfig()) throw new Response("Not Found", { status: 404 });
  return redirect("/staff/login");
}

export async function action({ request }: ActionFunctionArgs) {
  if (!staffOidcConfig()) throw new Response("Not Found", { status: 404 });
  const form = await request.formData();
  return beginStaffOidcLogin(request, form.get("returnTo"));
}
