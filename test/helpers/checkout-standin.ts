// The Checkout.com stand-in for one test file, with the app pointed at it (CHECKOUT_API_BASE_URL):
// started before the file's tests, its faults cleared before each, stopped after.
import { afterAll, beforeAll, beforeEach } from "vitest";
import { resetEnvForTests } from "../../app/env.server";
import { createCheckoutStandIn, type CheckoutStandIn, type CheckoutStandInOptions } from "../standins/checkout/server";

/** Registers the hooks; call the returned function inside tests for the running stand-in. */
export function useCheckoutStandIn(options: CheckoutStandInOptions): () => CheckoutStandIn {
  let standIn: CheckoutStandIn | undefined;
  beforeAll(async () => {
    standIn = await createCheckoutStandIn(options);
    process.env.CHECKOUT_API_BASE_URL = standIn.url;
    resetEnvForTests();
  });
  afterAll(async () => {
    await standIn?.stop();
    delete process.env.CHECKOUT_API_BASE_URL;
    resetEnvForTests();
  });
  beforeEach(() => standIn?.faults.clear());
  return () => {
    if (!standIn) throw new Error("the Checkout.com stand-in is not running (use it inside tests)");
    return standIn;
  };
}
