import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { isLang } from "~/i18n/config";
import { languageCookie } from "~/i18n/i18next.server";
import { sameOriginPath } from "~/infra/redirect.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const lang = form.get("lang");
  const returnTo = form.get("returnTo");
  const target = sameOriginPath(returnTo, "/");
  if (!isLang(lang)) return redirect(target);
  return redirect(target, { headers: { "Set-Cookie": await languageCookie.serialize(lang) } });
}
