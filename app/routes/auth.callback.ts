import type { LoaderFunctionArgs } from "@remix-run/node";
import { completeLogin } from "~/services/identity/resident-auth.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return completeLogin(request);
}
