import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { CHROMIUM_PATH } from "./system-tools.js";

const ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

export interface ConsoleEntry {
  type: string;
  text: string;
}

export interface OpenedPage {
  page: Page;
  /** Console errors and warnings. */
  console: ConsoleEntry[];
  /** Uncaught errors in the page. */
  pageErrors: string[];
  /** alert(), confirm() or prompt() calls: only a script can make them. */
  dialogs: string[];
  /** Every request other than the file itself (each was refused: nothing leaves the machine). */
  foreignRequests: string[];
  screenshot(path: string): Promise<void>;
  close(): Promise<void>;
}

/** Open a local HTML file in a fresh profile, recording what a self-contained page must never do. */
export async function openHtmlFile(path: string, options: { width?: number } = {}): Promise<OpenedPage> {
  const profile = mkdtempSync(join(tmpdir(), "zo-chromium-"));
  const fileUrl = pathToFileURL(path).href;
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ARGS,
      viewport: { width: options.width ?? 1100, height: 900 },
      offline: true,
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  const consoleEntries: ConsoleEntry[] = [];
  const pageErrors: string[] = [];
  const foreignRequests: string[] = [];
  const dialogs: string[] = [];
  await context.route("**/*", async (route) => {
    const url = route.request().url();
    if (url === fileUrl) return route.continue();
    foreignRequests.push(url);
    return route.abort("blockedbyclient");
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      consoleEntries.push({ type: message.type(), text: message.text() });
    }
  });
  page.on("pageerror", (error) => pageErrors.push(error.message));
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  // route() does not see every scheme; the request event does, so both are recorded.
  page.on("request", (request) => {
    const url = request.url();
    if (url !== fileUrl && !foreignRequests.includes(url)) foreignRequests.push(url);
  });
  await page.goto(fileUrl, { waitUntil: "load" });
  return {
    page,
    console: consoleEntries,
    pageErrors,
    dialogs,
    foreignRequests,
    async screenshot(target) {
      await page.screenshot({ path: target, fullPage: true });
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
