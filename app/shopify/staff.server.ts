// Who is acting in the embedded admin, and what they may do: the one staff guard every admin loader
// and action goes through. The app asks Shopify for an online access token per staff member
// (`useOnlineTokens`), whose associated user says who they are and whether they own the shop.
// Roles: app/shopify/roles.ts. Shop owners are admins. Everyone else has the role the shop gave them, or the shop's default role.
import { audit } from "../audit/audit.server";
import { resolveLocale } from "../i18n/locale.server";
import { translator } from "../i18n/i18n";
import { matchLocale, type Locale, type Words } from "../i18n/locales";
import type { Session } from "@shopify/shopify-api";
import { json } from "@remix-run/node";
import { db } from "../db.server";
import { authenticate } from "../shopify.server";
import { ensureShop } from "../shops/shop.server";
import type { ShopifyAdmin } from "./admin-api.server";
import { isStaffRole, ROLE_LABELS, roleAllows, type StaffRole } from "./roles";

/** The person behind an admin request, in their shop. */
export interface Staff {
  shopId: string;
  /** The shop's domain, for Shopify calls. */
  shop: string;
  /** Shopify's user id; null when Shopify did not say (no online session). */
  userId: string | null;
  /** As the audit log names them. */
  actor: string;
  role: StaffRole;
  owner: boolean;
  /** The language the admin answers them in (app/i18n/locale.server.ts). */
  locale: Locale;
  /** Shopify caller; defaults to the shop's paced offline caller. */
  api?: ShopifyAdmin;
}

interface AdminAuth {
  session: Pick<Session, "onlineAccessInfo">;
  /** The admin language Shopify named on this request (an embedded load's `locale`), if any. */
  localeParam: string | null;
  sessionToken?: { sub?: string } | null;
}

function staffActor(auth: AdminAuth): string {
  const user = auth.session.onlineAccessInfo?.associated_user;
  if (user) {
    const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
    return name ? `${name} <${user.email}>` : user.email || `staff:${user.id}`;
  }
  const sub = auth.sessionToken?.sub;
  return sub ? `staff:${sub}` : "staff";
}

/** How stale a staff member's "last seen" may get before a request writes it again. */
const SEEN_EVERY_MS = 10 * 60_000;

/** The staff member's role in this shop, recording them (name, owner, language) when first or newly seen. */
async function roleOf(shopId: string, auth: AdminAuth): Promise<{ userId: string | null; role: StaffRole; owner: boolean; remembered: string | null }> {
  const user = auth.session.onlineAccessInfo?.associated_user;
  const userId = user ? String(user.id) : (auth.sessionToken?.sub ?? null);
  const settings = await db().shopSettings.findUnique({ where: { shopId }, select: { defaultStaffRole: true } });
  const fallback = isStaffRole(settings?.defaultStaffRole) ? settings.defaultStaffRole : "viewer";
  if (!userId) return { userId: null, role: fallback, owner: false, remembered: null };
  const owner = user?.account_owner === true;
  const known = await db().staffMember.findUnique({ where: { shopId_userId: { shopId, userId } } });
  const name = user ? [user.first_name, user.last_name].filter(Boolean).join(" ") || null : (known?.name ?? null);
  const email = user?.email ?? known?.email ?? null;
  // Only an embedded load names the language; other requests keep the remembered one.
  const locale = auth.localeParam ? (matchLocale(auth.localeParam) ?? "en") : (known?.locale ?? null);
  const changed = !known || known.name !== name || known.email !== email || (user && known.accountOwner !== owner) || known.locale !== locale;
  if (changed || Date.now() - known.lastSeenAt.getTime() > SEEN_EVERY_MS) {
    await db().staffMember.upsert({
      where: { shopId_userId: { shopId, userId } },
      update: { name, email, locale, lastSeenAt: new Date(), ...(user ? { accountOwner: owner, collaborator: user.collaborator === true } : {}) },
      create: { shopId, userId, name, email, locale, accountOwner: owner, collaborator: user?.collaborator === true },
    });
  }
  const isOwner = owner || (!user && known?.accountOwner === true);
  const role = isOwner ? "admin" : isStaffRole(known?.role) ? known.role : fallback;
  return { userId, role, owner: isOwner, remembered: locale };
}

/** Thrown to refuse a request: JSON (fetchers and forms read `message`), 403, in the staff member's language. */
function forbidden(needed: StaffRole, locale: Locale) {
  return json({ ok: false as const, message: translator(locale, "errors")(`forbidden.${needed}`) }, { status: 403 });
}

/** Refuses (403) a staff member whose role is below `needed`, for actions whose role depends on the form. */
export function assertRole(staff: Pick<Staff, "role" | "locale">, needed: StaffRole) {
  if (!roleAllows(staff.role, needed)) throw forbidden(needed, staff.locale);
}

/**
 * Authenticates an admin request (session token), loads the shop and the staff member's role, and
 * refuses (403) when the role is below `needed`. Every admin loader and action calls this.
 */
export async function requireStaff(request: Request, needed: StaffRole = "viewer"): Promise<Staff> {
  const auth = await authenticate.admin(request);
  const shop = await ensureShop(auth.session.shop);
  const localeParam = new URL(request.url).searchParams.get("locale");
  const identity = { session: auth.session, sessionToken: "sessionToken" in auth ? auth.sessionToken : null, localeParam };
  const { userId, role, owner, remembered } = await roleOf(shop.id, identity);
  const locale = resolveLocale({
    param: localeParam,
    remembered,
    session: auth.session.onlineAccessInfo?.associated_user?.locale,
    acceptLanguage: request.headers.get("accept-language"),
  });
  if (!roleAllows(role, needed)) throw forbidden(needed, locale);
  return { shopId: shop.id, shop: shop.domain, userId, actor: staffActor(identity), role, owner, locale };
}

/**
 * A staff member's role in the shop now, as the guard would give it (owners are admins, others their
 * role or the shop's default): for what acts on their behalf without a request of theirs (agent tokens).
 */
export async function currentStaffRole(shopId: string, userId: string): Promise<StaffRole> {
  const [settings, member] = await Promise.all([
    db().shopSettings.findUnique({ where: { shopId }, select: { defaultStaffRole: true } }),
    db().staffMember.findUnique({ where: { shopId_userId: { shopId, userId } }, select: { accountOwner: true, role: true } }),
  ]);
  return effectiveRole(member, isStaffRole(settings?.defaultStaffRole) ? settings.defaultStaffRole : "viewer");
}

/** Owners are admins; everyone else has the role the shop gave them, or the shop's default. */
const effectiveRole = (member: { accountOwner: boolean; role: string | null } | null, defaultRole: StaffRole): StaffRole =>
  member?.accountOwner ? "admin" : isStaffRole(member?.role) ? member.role : defaultRole;

export interface StaffRow {
  userId: string;
  name: string | null;
  email: string | null;
  owner: boolean;
  collaborator: boolean;
  role: StaffRole;
  assigned: boolean;
  lastSeenAt: Date;
}

/** Everyone who has opened the app in this shop, with their effective role. */
export async function staffList(shopId: string): Promise<{ defaultRole: StaffRole; staff: StaffRow[] }> {
  const [settings, members] = await Promise.all([
    db().shopSettings.findUnique({ where: { shopId }, select: { defaultStaffRole: true } }),
    db().staffMember.findMany({ where: { shopId }, orderBy: [{ accountOwner: "desc" }, { lastSeenAt: "desc" }], take: 500 }),
  ]);
  const defaultRole = isStaffRole(settings?.defaultStaffRole) ? settings.defaultStaffRole : "viewer";
  return {
    defaultRole,
    staff: members.map((m) => ({
      userId: m.userId,
      name: m.name,
      email: m.email,
      owner: m.accountOwner,
      collaborator: m.collaborator,
      role: effectiveRole(m, defaultRole),
      assigned: isStaffRole(m.role),
      lastSeenAt: m.lastSeenAt,
    })),
  };
}

/** A role change's answer: the English message (the audit log records a refusal's) and its words (errors.settings.roles.*). */
export type RoleChange = { ok: true; message: string; words: Words } | { ok: false; message: string; words: Words };

/** Gives one staff member a role ("default" clears it), or sets the shop's default role. Admins only (the route checks). */
type StaffRoleChange = { userId: string; role: StaffRole | "default" } | { defaultRole: StaffRole };

/** Changes a staff member's role, or the default role; audited (refusals too). */
export async function setStaffRole(shopId: string, change: StaffRoleChange, by: string): Promise<RoleChange> {
  const result = await applyRoleChange(shopId, change, by);
  await audit({
    shopId,
    actor: by,
    source: "admin",
    action: "staff.role",
    details: change,
    result: result.ok ? "ok" : "error",
    error: result.ok ? null : result.message,
  });
  return result;
}

async function applyRoleChange(shopId: string, change: StaffRoleChange, by: string): Promise<RoleChange> {
  if ("defaultRole" in change) {
    await db().shopSettings.upsert({
      where: { shopId },
      update: { defaultStaffRole: change.defaultRole },
      create: { shopId, defaultStaffRole: change.defaultRole },
    });
    return {
      ok: true,
      message: `Staff without a role of their own are now ${ROLE_LABELS[change.defaultRole]}s.`,
      words: { key: `settings.roles.defaultFor.${change.defaultRole}` },
    };
  }
  const member = await db().staffMember.findUnique({ where: { shopId_userId: { shopId, userId: change.userId } } });
  if (!member) return { ok: false, message: "This staff member has not opened the app in this shop.", words: { key: "settings.roles.notOpened" } };
  if (member.accountOwner) return { ok: false, message: "The store owner is always an admin.", words: { key: "settings.roles.owner" } };
  await db().staffMember.update({ where: { id: member.id }, data: { role: change.role === "default" ? null : change.role, roleSetBy: by } });
  const who = member.name ?? member.email ?? `staff ${member.userId}`;
  return change.role === "default"
    ? { ok: true, message: `${who} now has the default role.`, words: { key: "settings.roles.default", values: { name: who } } }
    : { ok: true, message: `${who} is now ${ROLE_LABELS[change.role]}.`, words: { key: `settings.roles.now.${change.role}`, values: { name: who } } };
}
