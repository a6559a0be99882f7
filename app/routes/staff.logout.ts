import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endStaffSession } from "~/services/identity/staff-session.server";

// Signing out changes state, so only a POST does it: a link or prefetch cannot sign anyone out.
export async function loader() {
  return redirect("/staff");
}

export async function action({ request }: ActionFunctionArgs) {
  return endStaffSession(request);
}
