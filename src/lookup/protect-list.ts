import { readFile } from "node:fs/promises";
import { OffboardError } from "../domain/errors.js";
import { userProblem } from "../input/check-row.js";

/**
 * Users that must never be changed (break-glass and service accounts): user IDs, emails and `*@domain`
 * patterns, one a line; `#` starts a comment. IDs match exactly, emails and domains case-insensitively.
 */
export interface ProtectList {
  readonly size: number;
  matches(user: string): boolean;
}

export const EMPTY_PROTECT_LIST: ProtectList = { size: 0, matches: () => false };

export function parseProtectList(text: string, source: string): ProtectList {
  const ids = new Set<string>();
  const emails = new Set<string>();
  const domains = new Set<string>();
  text
    .replace(/^\uFEFF/, "")
    .split(/\r?\n/)
    .forEach((raw, index) => {
      const entry = (raw.split("#")[0] ?? "").trim();
      if (entry === "") return;
      const line = index + 1;
      if (entry.startsWith("*@")) {
        const domain = entry.slice(2).toLowerCase();
        if (!/^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(domain)) {
          throw new OffboardError(
            "CONFIG_INVALID",
            `${source}:${line}: "${entry}" is not a *@domain pattern`,
          );
        }
        domains.add(domain);
        return;
      }
      const problem = userProblem(entry);
      if (problem !== undefined) {
        throw new OffboardError(
          "CONFIG_INVALID",
          `${source}:${line}: "${entry}" is not a user ID or email: ${problem}`,
        );
      }
      if (entry.includes("@")) emails.add(entry.toLowerCase());
      else ids.add(entry);
    });
  return {
    size: ids.size + emails.size + domains.size,
    matches(user) {
      if (!user.includes("@")) return ids.has(user);
      const email = user.toLowerCase();
      return emails.has(email) || domains.has(email.slice(email.lastIndexOf("@") + 1));
    },
  };
}

export async function loadProtectList(path: string): Promise<ProtectList> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw new OffboardError(
      "CONFIG_INVALID",
      `cannot read the protect list ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  return parseProtectList(text, path);
}
