import { z } from "zod";
import { PII_KINDS } from "./detect";

/**
 * `[pii]` (what counts as PII) and, per function, `store` (what of its bodies is kept at rest):
 *
 * ```toml
 * [pii]
 * default_store = "full"          # "full" | "masked" | "none" for functions that say nothing
 * detectors = ["email", "phone", "card", "iban", "ip", "secret"]   # default: all
 * default_country = "US"          # phone numbers written without +CC
 * custom = { employee_id = "EMP-\\d{6}" }
 *
 * [functions.support]
 * store = "masked"
 * ```
 */
export const STORE_MODES = ["full", "masked", "none"] as const;
export type StoreMode = (typeof STORE_MODES)[number];

export const storeSchema = z.enum(STORE_MODES);

export const piiSchema = z.strictObject({
  default_store: storeSchema.default("full"),
  detectors: z.array(z.enum(PII_KINDS)).default([...PII_KINDS]),
  default_country: z
    .string()
    .regex(/^[A-Z]{2}$/, "a two-letter ISO 3166 country code")
    .optional(),
  custom: z
    .record(
      z.string().regex(/^[A-Za-z0-9_]+$/, "custom PII names use letters, digits and _"),
      z.string().refine((p) => {
        try {
          new RegExp(p);
          return true;
        } catch {
          return false;
        }
      }, "not a valid regular expression"),
    )
    .default({}),
});
export type PiiConfig = z.infer<typeof piiSchema>;
export const PII_DEFAULTS: PiiConfig = { default_store: "full", detectors: [...PII_KINDS], custom: {} };
