// Who is acting in the embedded admin, for the audit log. The session token's `sub` is the staff
// member's user id; an online session also knows their name and email.
import type { Session } from "@shopify/shopify-api";

export interface AdminAuth {
  session: Pick<Session, "onlineAccessInfo">;
  sessionToken?: { sub?: string } | null;
}

export function staffActor(auth: AdminAuth): string {
  const user = auth.session.onlineAccessInfo?.associated_user;
  if (user) {
    const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
    return name ? `${name} <${user.email}>` : user.email || `staff:${user.id}`;
  }
  const sub = auth.sessionToken?.sub;
  return sub ? `staff:${sub}` : "staff";
}
