import { type SimReply, zoomError } from "../http.js";

type JsonType = "string" | "integer" | "boolean" | "array" | "object";

export interface FieldRule {
  type: JsonType;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  enum?: readonly (number | string)[];
}

/** Zoom United types: the powers of two from 1 to 131072, as strings, and "none". */
const PLAN_UNITED_TYPES = [...Array.from({ length: 18 }, (_, i) => String(2 ** i)), "none"];

/** Zoom Workplace plans, as Zoom's schema lists them (its largest values are not exact doubles there). */
// biome-ignore format: one long list of Zoom's numbers reads better packed
const ZOOM_ONE_TYPES = [
  0, 16, 32, 64, 128, 33554432, 134217728, 268435456, 536870912, 1073741824, 4398046511104, 4294967296,
  8589934592, 17179869184, 34359738368, 68719476736, 137438953472, 274877906944, 549755813888, 1099511627776,
  2199023255552, 18014398509481984, 72057594037927940, 144115188075855870, 576460752303423500,
];

/**
 * The top-level fields of Zoom's "Update a user" body, with the limits and enums its schema sets on them. Any
 * other field is allowed there (the schema does not close the object) and ignored here, as are nested shapes:
 * the simulator acts on `type` only, and refusing a body Zoom accepts would hide nothing but cause false alarms.
 */
export const UPDATE_FIELDS: Readonly<Record<string, FieldRule>> = {
  about_me: { type: "string", maxLength: 150 },
  cms_user_id: { type: "string" },
  company: { type: "string", maxLength: 255 },
  cost_center: { type: "string" },
  custom_attributes: { type: "array", maxItems: 5 },
  dept: { type: "string" },
  display_name: { type: "string", maxLength: 128 },
  division_ids: { type: "array" },
  feature: { type: "object" },
  first_name: { type: "string", maxLength: 64 },
  group_id: { type: "string" },
  host_key: { type: "string", minLength: 6, maxLength: 10 },
  job_title: { type: "string", maxLength: 128 },
  language: { type: "string" },
  last_name: { type: "string", maxLength: 64 },
  license_info_list: { type: "array", maxItems: 2 },
  linkedin_url: { type: "string" },
  location: { type: "string", maxLength: 256 },
  manager: { type: "string" },
  phone_country: { type: "string" },
  phone_number: { type: "string" },
  phone_numbers: { type: "array", maxItems: 3 },
  plan_united_type: { type: "string", enum: PLAN_UNITED_TYPES },
  pmi: { type: "integer" },
  pronouns: { type: "string" },
  pronouns_option: { type: "integer", enum: [1, 2, 3] },
  timezone: { type: "string" },
  type: { type: "integer", enum: [1, 2, 4, 99] },
  use_pmi: { type: "boolean" },
  vanity_name: { type: "string" },
  zoom_one_type: { type: "integer", enum: ZOOM_ONE_TYPES },
};

function fits(value: unknown, rule: FieldRule): boolean {
  switch (rule.type) {
    case "string":
      return (
        typeof value === "string" &&
        value.length >= (rule.minLength ?? 0) &&
        value.length <= (rule.maxLength ?? Number.POSITIVE_INFINITY) &&
        (rule.enum === undefined || rule.enum.includes(value))
      );
    case "integer":
      return Number.isInteger(value) && (rule.enum === undefined || rule.enum.includes(value as number));
    case "boolean":
      return typeof value === "boolean";
    case "array":
      return Array.isArray(value) && value.length <= (rule.maxItems ?? Number.POSITIVE_INFINITY);
    case "object":
      return typeof value === "object" && value !== null && !Array.isArray(value);
  }
}

export type ParsedUpdate = { ok: true; type: number | undefined } | { ok: false; reply: SimReply };

const invalid = (what: string): ParsedUpdate => ({
  ok: false,
  reply: zoomError(400, 300, `Invalid field: ${what}.`),
});

/**
 * The body of PATCH /users/{userId}: empty (the schema does not require one) or a JSON object whose known
 * fields have the schema's types. Only `type` matters to the simulator; the other fields are checked, then ignored.
 */
export function parseUpdateBody(contentType: string | undefined, body: Buffer): ParsedUpdate {
  if (body.length === 0) return { ok: true, type: undefined };
  if (!(contentType ?? "").toLowerCase().includes("json")) return invalid("request body (expected JSON)");
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    return invalid("request body (not JSON)");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    return invalid("request body (expected an object)");
  }
  for (const [name, value] of Object.entries(parsed)) {
    // hasOwn: a field named like an Object.prototype member (`constructor`) is just an unknown field.
    const rule = Object.hasOwn(UPDATE_FIELDS, name) ? UPDATE_FIELDS[name] : undefined;
    if (rule !== undefined && !fits(value, rule)) return invalid(name);
  }
  const type = (parsed as Record<string, unknown>).type;
  return { ok: true, type: typeof type === "number" ? type : undefined };
}
