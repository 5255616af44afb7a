// The staff member behind an admin request, and their shop: every holds route acts as this reviewer.
import { authenticate } from "../shopify.server";
import { staffActor } from "../shopify/staff.server";
import { ensureShop } from "../shops/shop.server";
import type { Reviewer } from "./review-actions.server";

export async function authenticateReviewer(request: Request): Promise<Reviewer> {
  const auth = await authenticate.admin(request);
  const shop = await ensureShop(auth.session.shop);
  return { shopId: shop.id, shop: shop.domain, actor: staffActor({ session: auth.session, sessionToken: "sessionToken" in auth ? auth.sessionToken : null }) };
}
