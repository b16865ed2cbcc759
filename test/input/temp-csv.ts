import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { type InputRecord, type OpenedInput, openInput } from "../../src/input/open-input.js";
import { FIXTURES, tempDir } from "../helpers/run-cli.js";

export { FIXTURES };

export function fixture(name: string): string {
  return join(FIXTURES, name);
}

let dir: string | undefined;

/** Writes `content` to a fresh file in a per-test-file temp directory (removed after the file's tests). */
export function tempCsv(content: string | Buffer, name = "input.csv"): string {
  dir ??= tempDir("zo-input-", "file");
  const path = join(dir, `${Math.random().toString(36).slice(2)}-${name}`);
  writeFileSync(path, content);
  return path;
}

export async function readAll(input: OpenedInput): Promise<InputRecord[]> {
  const records: InputRecord[] = [];
  for await (const record of input.records) records.push(record);
  return records;
}

/** Opens a file and reads every record. */
export async function readFile(path: string): Promise<{ input: OpenedInput; records: InputRecord[] }> {
  const input = await openInput(path);
  return { input, records: await readAll(input) };
}

/** Opens text written to a temp file and returns its records. */
export async function recordsOf(content: string | Buffer): Promise<InputRecord[]> {
  return (await readFile(tempCsv(content))).records;
}

/** The InputError (or other rejection) a promise ends with; fails the test when it resolves. */
export async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected a rejection, got a value");
}
