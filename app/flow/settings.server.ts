// Which Flow triggers a shop turned on: ShopSettings.flowTriggers, a JSON array of trigger handles.
// Off by default: a merchant opts in to each trigger once a workflow uses it.
import { z } from "zod";
import { db, rawSql } from "../db.server";
import type { RawSql } from "../lib/prepared-sql.server";
import { FLOW_TRIGGER_HANDLES } from "./triggers";

const handle = z.enum(FLOW_TRIGGER_HANDLES as [string, ...string[]]);

/** The form: one `trigger` entry per checked box; anything else is refused. */
const flowSettingsForm = z.object({ triggers: z.array(handle).max(FLOW_TRIGGER_HANDLES.length) });

export async function enabledFlowTriggers(shopId: string, tx?: RawSql): Promise<string[]> {
  // Raw: event processing asks this inside its prepared-statement transaction.
  const [settings] = await (tx ?? rawSql()).$queryRaw<
    Array<{ flowTriggers: string }>
  >`SELECT "flowTriggers" FROM "ShopSettings" WHERE "shopId" = ${shopId} LIMIT 1`;
  if (!settings) return [];
  try {
    const stored = z.array(z.string()).parse(JSON.parse(settings.flowTriggers));
    // Handles of triggers this version no longer has are ignored rather than failing the shop.
    return stored.filter((h) => handle.safeParse(h).success);
  } catch {
    return [];
  }
}

export type SaveFlowSettingsResult = { ok: true; enabled: string[] } | { ok: false; message: string };

export async function saveFlowSettings(shopId: string, form: FormData): Promise<SaveFlowSettingsResult> {
  const parsed = flowSettingsForm.safeParse({ triggers: form.getAll("trigger") });
  if (!parsed.success) return { ok: false, message: "Unknown Flow trigger. Nothing was saved." };
  const enabled = FLOW_TRIGGER_HANDLES.filter((h) => parsed.data.triggers.includes(h));
  const flowTriggers = JSON.stringify(enabled);
  await db().shopSettings.upsert({ where: { shopId }, update: { flowTriggers }, create: { shopId, flowTriggers } });
  return { ok: true, enabled };
}
