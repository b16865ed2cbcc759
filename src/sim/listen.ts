import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { sendReply } from "./http.js";

/** An HTTP server on `host:port` (0: any free port) that answers with `handle`, and how to close it promptly. */
export async function listen(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  host: string,
  port: number,
): Promise<{ url: string; close(): Promise<void> }> {
  const server = createServer({ noDelay: true }, (req, res) => {
    handle(req, res).catch((error: unknown) => {
      // A bug in the simulator must show up as a 500 in the test that hit it, not as a hung request.
      if (!res.headersSent && !res.destroyed) {
        sendReply(res, { status: 500, body: { code: 500, message: `Simulator error: ${String(error)}` } });
      } else {
        res.destroy();
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const shown = address.family === "IPv6" ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${shown}:${address.port}`,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would otherwise hold close() open for the keep-alive timeout.
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
