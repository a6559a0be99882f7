import type { LoaderFunctionArgs } from "@remix-run/node";
import { Outlet, useLoaderData } from "@remix-run/react";
import { StaffHeader } from "~/components/staff-header";
import { currentStaff } from "~/services/staff-auth.server";

// Layout for every /staff page: the staff session bar. Guarding is left to each page
// (requireStaff), since the login page must render without a session.
export async function loader({ request }: LoaderFunctionArgs) {
  const staff = await currentStaff(request);
  return { staffName: staff?.name ?? null };
}

export default function StaffLayout() {
  const { staffName } = useLoaderData<typeof loader>();
  return (
    <>
      <StaffHeader staffName={staffName} />
      <Outlet />
    </>
  );
}
