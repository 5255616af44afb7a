// Rotating ENCRYPTION_KEY: secrets sealed with the old key are sealed again with the new one, still
// decrypt to the same values, and no longer need the old key.
import { afterEach, expect, it } from "vitest";
import { connectionSecrets } from "../app/checkout/connection.server";
import { needsReencryption } from "../app/crypto.server";
import { db } from "../app/db.server";
import { resetEnvForTests } from "../app/env.server";
import { reportText, saveDataReport } from "../app/shops/data-reports.server";
import { sharedSecretOf } from "../app/zendesk/connections.server";
import { TEST_ENCRYPTION_KEY } from "../test/helpers/env";
import { createConnectedShop, SIGNATURE_KEY } from "../test/helpers/factories";
import { connectZendesk } from "../test/helpers/zendesk";
import { resealAllSecrets } from "./reseal-secrets";

const NEW_KEY = "ab".repeat(32);
const useKeys = (current: string, previous?: string) => {
  process.env.ENCRYPTION_KEY = current;
  if (previous) process.env.ENCRYPTION_KEY_PREVIOUS = previous;
  else delete process.env.ENCRYPTION_KEY_PREVIOUS;
  resetEnvForTests();
};
afterEach(() => useKeys(TEST_ENCRYPTION_KEY));

it("re-seals every stored secret with the new key, once, and they decrypt without the old key", async () => {
  const { connection } = await createConnectedShop(undefined, { authorizationHeader: "Bearer fixed-webhook-value" });
  const zendesk = await connectZendesk(connection.shopId);
  const report = await saveDataReport(
    connection.shopId,
    { shopDomain: "x.myshopify.com", requestId: "dr_1", customerId: "1", email: "ada@example.com", phone: null, ordersRequested: [] },
    { customer: { email: "ada@example.com" } } as never,
  );
  const before = connectionSecrets(await db().checkoutConnection.findUniqueOrThrow({ where: { id: connection.id } }));

  useKeys(NEW_KEY, TEST_ENCRYPTION_KEY);
  const rows = async () => ({
    checkout: await db().checkoutConnection.findUniqueOrThrow({ where: { id: connection.id } }),
    zendesk: await db().zendeskConnection.findUniqueOrThrow({ where: { id: zendesk.connection.id } }),
  });
  const old = await rows();
  expect(
    [old.checkout.secretKeyEnc, old.checkout.signatureKeyEnc!, old.checkout.authorizationEnc!, old.zendesk.sharedSecretEnc].every((v) => needsReencryption(v)),
  ).toBe(true);

  expect(await resealAllSecrets()).toEqual({ checkout: 3, zendesk: 1, dataReports: 1 });
  expect(await resealAllSecrets()).toEqual({ checkout: 0, zendesk: 0, dataReports: 0 });

  useKeys(NEW_KEY);
  const now = await rows();
  expect(connectionSecrets(now.checkout)).toEqual(before);
  expect(before.signatureKey).toBe(SIGNATURE_KEY);
  expect(sharedSecretOf(now.zendesk)).toBe(zendesk.secret);
  expect(JSON.parse(reportText(await db().customerDataReport.findUniqueOrThrow({ where: { id: report.id } })))).toEqual({
    customer: { email: "ada@example.com" },
  });
});
