// Search parameters shared by the list screens, parsed leniently: a bad value means "not given".
import { z } from "zod";

/** The search box: trimmed, at most 256 characters, undefined when empty. */
export const searchParam = z
  .string()
  .optional()
  .transform((v) => v?.trim().slice(0, 256) || undefined);

/** The page number, from 1; anything else is page 1. */
export const pageParam = z.coerce.number().int().min(1).max(100_000).catch(1).default(1);
