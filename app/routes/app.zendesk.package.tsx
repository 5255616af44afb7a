// "Download the app (.zip)": the sidebar package for accounts that review apps before installing them.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireStaff } from "../shopify/staff.server";
import { sidebarPackage } from "../zendesk/app-package.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  await requireStaff(request, "admin");
  const pkg = await sidebarPackage();
  return new Response(new Uint8Array(pkg.zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${pkg.fileName}"`,
      "Cache-Control": "no-store",
    },
  });
};
