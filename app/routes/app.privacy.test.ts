// The Privacy page and its report downloads, as the embedded admin calls them: admins only (a
// viewer's, reviewer's or finance member's request is refused with 403), one shop's reports only
// (another shop's report is a 404 and is never listed), and an expired report is neither listed nor
// downloadable, and is deleted when the page lists reports.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "../db.server";
import { reportCustomerData } from "../shops/compliance.server";
import { ADA, seedCustomerEverywhere } from "../../test/helpers/customer-everywhere";
import { createConnectedShop } from "../../test/helpers/factories";
import { extensionRequest, seedOfflineSession, seedStaff, sessionToken } from "../../test/helpers/session-token";
import { callAction } from "../../test/helpers/shopify";
import * as download from "./app.privacy.$id";
import * as page from "./app.privacy";

const OWNER = 74_000_001;
const VIEWER = 74_000_061;
const REVIEWER = 74_000_062;
const FINANCE = 74_000_063;
const ADMIN = 74_000_064;

let shopA: { id: string; domain: string };
let shopB: { id: string; domain: string };
let reportId: string;

const as = (domain: string, userId: number, path: string) => extensionRequest(path, domain, { token: sessionToken(domain, { userId }) });
const list = (domain: string, userId: number) => callAction(page.loader, as(domain, userId, "/app/privacy"));
const fetchReport = (domain: string, userId: number, id: string) => callAction(download.loader, as(domain, userId, `/app/privacy/${id}`), { id });

beforeAll(async () => {
  const a = await createConnectedShop();
  const b = await createConnectedShop();
  shopA = a.shop;
  shopB = b.shop;
  for (const shop of [shopA, shopB]) {
    await seedOfflineSession(shop.domain);
    await seedStaff(shop.domain, { userId: OWNER, role: "owner" });
  }
  await seedStaff(shopA.domain, { userId: VIEWER, role: "viewer" });
  await seedStaff(shopA.domain, { userId: REVIEWER, role: "reviewer" });
  await seedStaff(shopA.domain, { userId: FINANCE, role: "finance" });
  await seedStaff(shopA.domain, { userId: ADMIN, role: "admin" });
  await seedCustomerEverywhere(a.shop, a.connection, ADA);
  const made = await reportCustomerData(shopA.domain, {
    shop_id: 1,
    shop_domain: shopA.domain,
    orders_requested: ADA.orders,
    customer: { id: ADA.shopifyCustomerId, email: ADA.email, phone: null },
    data_request: { id: 4242 },
  });
  reportId = made.reportId!;
});

describe("/app/privacy", () => {
  it("lists the shop's reports for the owner and for admins", async () => {
    for (const userId of [OWNER, ADMIN]) {
      const response = await list(shopA.domain, userId);
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.days).toBe(30);
      expect(body.reports).toEqual([
        expect.objectContaining({ id: reportId, requestId: "4242", customerId: String(ADA.shopifyCustomerId), email: ADA.email, payments: 4, readable: true }),
      ]);
    }
  });

  it("downloads a report as a JSON attachment, and audits who did", async () => {
    const response = await fetchReport(shopA.domain, OWNER, reportId);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toBe("application/json; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toMatch(/^attachment; filename="customer-data-7001-\d{4}-\d{2}-\d{2}\.json"$/);
    expect(response.headers.get("Cache-Control")).toBe("private, no-store");
    const report = await response.json();
    expect(report.request.customer.email).toBe(ADA.email);
    expect(report.payments).toHaveLength(4);
    expect(await db().auditLog.count({ where: { shopId: shopA.id, action: "privacy.report.download", details: { contains: reportId } } })).toBeGreaterThan(0);
  });

  it("never shows another shop's report: not listed, 404 to download", async () => {
    const listed = await (await list(shopB.domain, OWNER)).json();
    expect(listed.reports).toEqual([]);
    const response = await fetchReport(shopB.domain, OWNER, reportId);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain(ADA.email);
    expect((await fetchReport(shopA.domain, OWNER, "no-such-report")).status).toBe(404);
  });

  it.each([
    ["a viewer", VIEWER],
    ["a reviewer", REVIEWER],
    ["finance", FINANCE],
  ])("refuses %s with 403, on the page and the download", async (_who, userId) => {
    const shown = await list(shopA.domain, userId);
    expect(shown.status).toBe(403);
    expect((await shown.json()).message).toMatch(/does not allow this.*Admin/);
    const file = await fetchReport(shopA.domain, userId, reportId);
    expect(file.status).toBe(403);
    expect(await file.text()).not.toContain(ADA.email);
  });

  it("neither lists nor serves an expired report, and deletes it when reports are listed", async () => {
    const expired = await db().customerDataReport.create({
      data: {
        shopId: shopA.id,
        requestId: "old",
        customerId: "9",
        reportEnc: "v1.x.y.z.w",
        createdAt: new Date(Date.now() - 31 * 86_400_000),
        expiresAt: new Date(Date.now() - 86_400_000),
      },
    });
    expect((await fetchReport(shopA.domain, OWNER, expired.id)).status).toBe(404);
    const body = await (await list(shopA.domain, OWNER)).json();
    expect(body.reports.map((r: { id: string }) => r.id)).toEqual([reportId]);
    expect(await db().customerDataReport.findUnique({ where: { id: expired.id } })).toBeNull();
  });
});
