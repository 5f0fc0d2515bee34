/** The plumbing of the loopback HTTP servers the tests and benchmarks stand up in place of a remote one. */
import type { IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A request's whole body. */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

export interface Listening {
  /** http://127.0.0.1:PORT */
  url: string;
  /** Stops the server, closing the connections a client left open. */
  close(): Promise<void>;
}

/** Listen on a free port of 127.0.0.1 only: nothing here is reachable from outside the machine. */
export async function listenOnLoopback(server: Server): Promise<Listening> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
