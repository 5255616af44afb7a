// The world the hostile corpus runs against: the REAL production server (`node --import tsx server.ts`,
// NODE_ENV=production, the Remix build) on a SQLite database migrated the way an operator does it, with
// two installed shops seeded through the app's own code. This process points db() at the same file, so
// tests read exactly what the server stored.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import { createDb, db, setDb } from "../../app/db.server";
import { appEnv, buildAppIfNeeded, freePort, migrateSqlite, startAppServer, type AppServer } from "../helpers/app-server";
import { createConnectedShop, createOrderPayment, SIGNATURE_KEY } from "../helpers/factories";
import { seedOfflineSession, seedStaff } from "../helpers/session-token";
import { connectZendesk, type ZendeskSetup } from "../helpers/zendesk";

export interface SeededShop {
  domain: string;
  shopId: string;
  endpointId: string;
  signatureKey: string;
  /** The fixed Authorization value the shop's webhook must carry, when it has one. */
  authorization: string | null;
  /** The payment's row id and Checkout.com id, and the numeric id of its Shopify order. */
  paymentId: string;
  ckoPaymentId: string;
  orderId: number;
  /** A captured yen payment: the shop set Zendesk refund limits for EUR and USD only. */
  yenCkoPaymentId: string;
  holdId: string;
  disputeId: string;
  listEntryId: string;
  zendesk: ZendeskSetup;
  /** A second, revoked Zendesk connection. */
  revokedZendesk: ZendeskSetup;
}

export interface HostileWorld {
  app: AppServer;
  /** Everything the server wrote to stderr (its warn and error logs, and Remix's) so far. */
  serverLog(): string;
  a: SeededShop;
  b: SeededShop;
  /** A shop whose app was uninstalled (its session is gone, its data kept until shop/redact). */
  uninstalled: SeededShop;
  close(): Promise<void>;
}

const SHOP_B_SIGNATURE_KEY = "whsec-hostile-shop-b-signature-key";
const SHOP_B_AUTHORIZATION = "Bearer hostile-shop-b-fixed-authorization-value";

async function seedShop(domain: string, orderId: number, connection: Record<string, string> = {}): Promise<SeededShop> {
  const { shop, connection: saved } = await createConnectedShop(domain, connection);
  await seedOfflineSession(domain);
  await seedStaff(domain, { userId: 74_000_001 });
  const { payment } = await createOrderPayment(shop.id, {
    orderId,
    payment: { status: "Captured", capturedAmount: 12_345, riskFlagged: true, riskScore: 91, customerEmail: `buyer@${domain}` },
  });
  const hold = await db().hold.create({
    data: {
      shopId: shop.id,
      paymentId: payment.id,
      orderGid: `gid://shopify/Order/${orderId}`,
      orderName: `#${orderId}`,
      status: "held",
      externalId: `hold-${payment.id}`,
      ruleHits: JSON.stringify([{ rule: "risk_score", value: 91, threshold: 80 }]),
    },
  });
  const dispute = await db().dispute.create({
    data: {
      shopId: shop.id,
      ckoDisputeId: `dsp_${payment.id.replaceAll("-", "").slice(0, 20)}`,
      paymentId: payment.id,
      ckoPaymentId: payment.ckoPaymentId,
      orderGid: `gid://shopify/Order/${orderId}`,
      category: "fraudulent",
      amount: 12_345,
      currency: "USD",
      status: "evidence_required",
      evidenceRequiredBy: new Date(Date.now() + 7 * 86_400_000),
      evidenceDraft: JSON.stringify({ texts: { invoice_or_receipt_text: "Invoice for the order." }, files: {}, types: ["invoice_or_receipt"] }),
    },
  });
  const yen = await db().payment.create({
    data: {
      shopId: shop.id,
      ckoPaymentId: `pay_yen${payment.id.replaceAll("-", "").slice(0, 20)}`,
      amount: 50_000,
      currency: "JPY",
      status: "Captured",
      capturedAmount: 50_000,
    },
  });
  const entry = await db().listEntry.create({ data: { shopId: shop.id, list: "deny", kind: "email", value: `fraud@${domain}`, createdBy: "seed" } });
  const zendesk = await connectZendesk(shop.id);
  const revokedZendesk = await connectZendesk(shop.id, { revokedAt: new Date() });
  return {
    domain,
    shopId: shop.id,
    endpointId: saved.endpointId,
    signatureKey: connection.signatureKey ?? SIGNATURE_KEY,
    authorization: connection.authorizationHeader ?? null,
    paymentId: payment.id,
    ckoPaymentId: payment.ckoPaymentId,
    orderId,
    yenCkoPaymentId: yen.ckoPaymentId,
    holdId: hold.id,
    disputeId: dispute.id,
    listEntryId: entry.id,
    zendesk,
    revokedZendesk,
  };
}

/** Migrates a temp database, seeds shops A, B and an uninstalled one, and starts the production server. */
export async function startHostileWorld(): Promise<HostileWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cko-hostile-"));
  const databaseUrl = migrateSqlite(path.join(dir, "app.sqlite"));
  const client: PrismaClient = createDb(databaseUrl);
  setDb(client);
  const a = await seedShop("hostile-a.myshopify.com", 5_550_001);
  const b = await seedShop("hostile-b.myshopify.com", 5_550_002, { signatureKey: SHOP_B_SIGNATURE_KEY, authorizationHeader: SHOP_B_AUTHORIZATION });
  const uninstalled = await seedShop("hostile-gone.myshopify.com", 5_550_003);
  await db().session.deleteMany({ where: { shop: uninstalled.domain } });
  await db().shop.update({ where: { id: uninstalled.shopId }, data: { uninstalledAt: new Date() } });

  buildAppIfNeeded();
  // No in-process worker: what a request stores stays as the request left it, for the snapshots.
  let stderr = "";
  const app = await startAppServer(await freePort(), appEnv(databaseUrl, { WORKER_IN_PROCESS: "false", LOG_LEVEL: "warn" }), {
    onStderr: (text) => (stderr += text),
  });
  return {
    app,
    serverLog: () => stderr,
    a,
    b,
    uninstalled,
    async close() {
      await app.stop();
      await client.$disconnect();
      setDb(undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
