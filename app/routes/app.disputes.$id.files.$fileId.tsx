// An evidence file's bytes, for preview (inline) or download (?download=1). Only through its own
// dispute, and only for the signed-in shop.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getEvidenceFileContent } from "../disputes/queries.server";
import { translator } from "../i18n/i18n";
import { requireStaff } from "../shopify/staff.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const staff = await requireStaff(request);
  const file = await getEvidenceFileContent(staff.shopId, params.id ?? "", params.fileId ?? "");
  if (!file)
    return new Response(translator(staff.locale, "disputes")("files.notFound"), { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const download = new URL(request.url).searchParams.get("download") === "1";
  // The name is ours (sanitised when stored), but quote it safely all the same.
  const name = file.filename.replace(/[^A-Za-z0-9._ -]/g, "_");
  return new Response(file.data, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(file.size),
      "Content-Disposition": `${download ? "attachment" : "inline"}; filename="${name}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
};
