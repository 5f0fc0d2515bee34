import { randomBytes } from "node:crypto";
import { readFile, readdir } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hubConnection, type HubConnection } from "../../src/hub/connection.js";
import { pullFiles, pushFiles } from "../../src/hub/transfer.js";
import { tempDir } from "../helpers/fixtures.js";
import { startLoopbackHub, type LoopbackHub } from "./loopback-hub.js";

describe("Hub transfer against the loopback hub", () => {
  let hub: LoopbackHub;
  let connection: HubConnection;
  beforeAll(async () => {
    hub = await startLoopbackHub();
    connection = hubConnection({ hubUrl: hub.url, env: { HF_TOKEN: hub.token } });
  });
  afterAll(() => hub.close());

  it("creates the repository, uploads small files inline and a GGUF through LFS, and pulls them back intact", async () => {
    const gguf = Buffer.concat([Buffer.from("GGUF"), randomBytes(4096)]);
    const repo = { type: "model" as const, name: "me/adapter" };
    const first = await pushFiles(connection, repo, [
      { path: "README.md", content: new Blob(["# card\n"]) },
      { path: "adapter.gguf", content: new Blob([gguf]) },
    ], "first");
    expect(first.created).toBe(true);
    expect(first.commitUrl).toMatch(new RegExp(`^${hub.url}/models/me/adapter/commit/`));
    const stored = hub.repos.get("models/me/adapter")!;
    expect(stored.get("adapter.gguf")).toMatchObject({ lfs: true });
    expect(stored.get("README.md")).toMatchObject({ lfs: false });

    // A second push to the same repository updates it.
    const second = await pushFiles(connection, repo, [{ path: "README.md", content: new Blob(["# card v2\n"]) }], "second");
    expect(second.created).toBe(false);

    const out = await tempDir();
    const pulled = await pullFiles(connection, repo, out);
    expect(pulled.map((p) => p.path).sort()).toEqual(["README.md", "adapter.gguf"]);
    expect(await readFile(join(out, "adapter.gguf"))).toEqual(gguf);
    expect(await readFile(join(out, "README.md"), "utf8")).toBe("# card v2\n");
  });

  it("refuses a download whose content does not match the hash the Hub lists, and leaves no file", async () => {
    const repo = { type: "dataset" as const, name: "me/data" };
    await pushFiles(connection, repo, [{ path: "train.jsonl", content: new Blob(['{"messages":[1]}\n']) }], "data");
    hub.corrupt.set("train.jsonl", Buffer.from('{"messages":[0]}\n'));
    const out = await tempDir();
    await expect(pullFiles(connection, repo, out)).rejects.toThrow(/train\.jsonl arrived corrupted/);
    expect(await readdir(out)).toEqual([]);
  });

  it("names what a server that is not quite a Hub sent, instead of the client library's TypeError", async () => {
    hub.answers.set("/api/datasets/me/shape/preupload/main", '{"files": null}');
    hub.answers.set("/api/datasets/me/shape/tree/main", '{"oops": 1}');
    try {
      const push = pushFiles(connection, { type: "dataset", name: "me/shape" }, [{ path: "a.txt", content: new Blob(["a"]) }], "x");
      await expect(push).rejects.toThrow(
        /^uploading to dataset me\/shape: http:\/\/127\.0\.0\.1:\d+ sent an answer that is not the Hub API's \(.*not iterable\); is it a Hugging Face Hub\? POST \/api\/datasets\/me\/shape\/preupload\/main answered 200 application\/json: \{"files": null\}$/,
      );
      await expect(pullFiles(connection, { type: "dataset", name: "me/shape" }, await tempDir())).rejects.toThrow(
        /^downloading dataset me\/shape: .* sent an answer that is not the Hub API's .*GET \/api\/datasets\/me\/shape\/tree\/main answered 200 application\/json: \{"oops": 1\}$/,
      );
    } finally {
      hub.answers.clear();
    }
  });

  it.each([
    ["base64, lowercased", (a: string) => Buffer.from(a).toString("base64").toLowerCase()],
    ["base64 of the token alone", (a: string) => Buffer.from(a.slice("Bearer ".length)).toString("base64")],
    ["hex", (a: string) => Buffer.from(a).toString("hex")],
    ["upper case", (a: string) => a.toUpperCase()],
  ])("never prints the token a server echoes %s", async (_, echo) => {
    hub.failWith = 401;
    hub.echo = echo;
    try {
      const err = await pushFiles(connection, { type: "model", name: "me/echo" }, [], "x").catch((e: Error) => e);
      expect(String(err)).toMatch(/creating model me\/echo: 401 refused: you sent /);
      expect(String(err)).toContain("hf_***");
      const sent = echo(`Bearer ${hub.token}`);
      // Nothing of the token's own part of the echo is left (its first and last few characters may blend into what surrounds them).
      expect(String(err)).not.toContain(sent.slice(sent.length / 2 - 8, sent.length / 2 + 8));
    } finally {
      hub.failWith = undefined;
      hub.echo = undefined;
    }
  });
});
