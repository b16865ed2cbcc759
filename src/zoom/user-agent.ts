import { VERSION } from "../domain/version.js";

/** `zoom-offboard/<version>`: Zoom support can then tell our requests apart. */
export const DEFAULT_USER_AGENT = `zoom-offboard/${VERSION}`;
