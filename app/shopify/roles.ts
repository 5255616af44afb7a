// Staff roles, each including the ones before it (the guard is app/shopify/staff.server.ts):
//   viewer   sees everything
//   reviewer releases holds, keeps deny lists and notes, drafts dispute evidence, replays events
//   finance  moves money: refunds, voids, captures, cancels orders, submits or accepts dispute evidence
//   admin    changes settings: Checkout.com and Zendesk connections, risk rules, Flow, staff roles
// Browser-safe: screens use it to hide what a role may not do. The names and descriptions screens show
// are translations (app/i18n/locales/<language>.json, `settings.roles.<role>`).
export const STAFF_ROLES = ["viewer", "reviewer", "finance", "admin"] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

/**
 * English role names, for text that stays English (the role-change messages of app/shopify/staff.server.ts,
 * which the audit log records). Screens show `settings:roles.<role>.label`.
 */
export const ROLE_LABELS: Record<StaffRole, string> = {
  viewer: "Viewer",
  reviewer: "Reviewer",
  finance: "Finance",
  admin: "Admin",
};

export const isStaffRole = (value: unknown): value is StaffRole => STAFF_ROLES.includes(value as StaffRole);

const rank = (role: StaffRole) => STAFF_ROLES.indexOf(role);
export const roleAllows = (role: StaffRole, needed: StaffRole) => rank(role) >= rank(needed);
