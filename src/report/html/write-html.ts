import { replacePrivateFile } from "../private-file.js";

/**
 * Write the page with mode 0600 like the CSV (it lists people's emails), replacing it whole: the page is derived
 * from the CSV, so writing it again replaces it, and a reader never sees half a page.
 */
export function writeHtmlReport(path: string, page: string): void {
  replacePrivateFile(path, page);
}
