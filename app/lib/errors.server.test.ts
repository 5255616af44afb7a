// Domain errors become answers in one place, in the staff member's language where the error names its text.
import { describe, expect, it } from "vitest";
import { ConflictError, NotFoundError, PlanRequiredError, RefusedError } from "./errors";
import { domainErrorReply } from "./errors.server";

const reply = async (error: unknown, locale?: "en" | "fr" | "de") => {
  const response = domainErrorReply(error, locale);
  return { status: response.status, body: await response.json() };
};

describe("domainErrorReply", () => {
  it("answers with the error's status and its text in the staff member's language", async () => {
    expect(await reply(new ConflictError("busy", { key: "eventBusy" }), "de")).toEqual({
      status: 409,
      body: { ok: false, message: "Dieses Ereignis wird gerade verarbeitet. Versuchen Sie es gleich noch einmal." },
    });
    const plan = new PlanRequiredError("Disputes need Growth", { key: "planRequired.disputes", values: { plan: "Growth", current: "Free" } });
    expect((await reply(plan, "fr")).body.message).toBe(
      "Les litiges et les preuves nécessitent le forfait Growth (cette boutique est au forfait Free). Un administrateur de la boutique peut changer de forfait sur la page Forfait.",
    );
    expect(await reply(new NotFoundError("gone", { key: "eventNotFound" }))).toEqual({ status: 404, body: { ok: false, message: "Event not found." } });
  });

  it("keeps the English message of an error that names no text", async () => {
    expect(await reply(new RefusedError("At most 2 of “Mug” can be refunded."), "de")).toEqual({
      status: 422,
      body: { ok: false, message: "At most 2 of “Mug” can be refunded." },
    });
  });

  it("throws anything that is not a domain error on", () => {
    expect(() => domainErrorReply(new Error("database down"))).toThrow("database down");
  });
});
