// Links into the merchant's Shopify admin. `shopify:admin/...` URLs open in the admin around the
// embedded app (App Bridge resolves them). Browser-safe.

/** The numeric id Shopify admin URLs use. */
export const orderLegacyId = (gid: string) => gid.split("/").pop() ?? gid;

export const orderAdminUrl = (gid: string) => `shopify:admin/orders/${orderLegacyId(gid)}`;
