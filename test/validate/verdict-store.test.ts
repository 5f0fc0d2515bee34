import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { VerdictCache } from "../../src/validate/verdict-cache.js";
import { VerdictLock } from "../../src/validate/verdict-lock.js";
import { cachedChecker } from "../../src/validate/cached-checker.js";
import { HewNotFoundError, unavailableChecker } from "../../src/validate/hew-binary.js";
import { sha256Hex } from "../../src/util/hash.js";
import { tempDir } from "../helpers/fixtures.js";
import { fakeChecker, hew, next, verdict } from "../helpers/fake-checker.js";

describe("verdict cache", () => {
  it("stores by code and checker, and misses for another compiler version", async () => {
    const cache = new VerdictCache(await tempDir());
    await cache.put(verdict("a", "pass"));
    expect(await cache.get(sha256Hex("a"), hew)).toMatchObject({ status: "pass", origin: "cache", checker: hew });
    expect(await cache.get(sha256Hex("a"), next)).toBeUndefined();
    expect(await cache.get(sha256Hex("b"), hew)).toBeUndefined();
  });

  it("never caches a checker-error", async () => {
    const cache = new VerdictCache(await tempDir());
    await cache.put(verdict("a", "checker-error"));
    expect(await cache.get(sha256Hex("a"), hew)).toBeUndefined();
  });

  it("keeps every checker's verdict for a code as its history", async () => {
    const cache = new VerdictCache(await tempDir());
    await cache.put(verdict("a", "pass", hew));
    await cache.put(verdict("a", "fail", next));
    expect((await cache.history(sha256Hex("a"))).map((v) => `${v.checker.version}:${v.status}`).sort()).toEqual(["0.6.0-rc2:pass", "0.6.0:fail"]);
  });

  it("survives two writers sharing the folder, and treats a damaged entry as a miss", async () => {
    const dir = await tempDir();
    const [one, two] = [new VerdictCache(dir), new VerdictCache(dir)];
    const codes = Array.from({ length: 40 }, (_, i) => `code ${i % 10}`);
    await Promise.all(codes.map((c, i) => (i % 2 ? one : two).put(verdict(c, "pass"))));
    for (const c of codes) expect(await two.get(sha256Hex(c), hew)).toMatchObject({ status: "pass" });
    const entryDir = join(dir, sha256Hex("code 1").slice(0, 2), sha256Hex("code 1"));
    const [entry] = await readdir(entryDir);
    expect((await readdir(entryDir)).every((n) => !n.endsWith(".tmp"))).toBe(true);
    await writeFile(join(entryDir, entry!), "{ half");
    expect(await one.get(sha256Hex("code 1"), hew)).toBeUndefined();
  });
});

describe("verdict lock", () => {
  it("writes sorted JSONL and reads it back as recorded verdicts", async () => {
    const file = join(await tempDir(), "verdicts.lock.jsonl");
    expect(await VerdictLock.write(file, [verdict("b", "pass"), verdict("a", "fail")])).toBe(2);
    const lines = (await readFile(file, "utf8")).trim().split("\n").map((l) => JSON.parse(l));
    expect(lines.map((l) => l.codeHash)).toEqual([sha256Hex("a"), sha256Hex("b")].sort());
    expect(lines[0]).not.toHaveProperty("origin");
    const lock = await VerdictLock.load(file);
    expect(lock.get(sha256Hex("b"))).toMatchObject({ status: "pass", origin: "lock", checker: hew });
  });

  it("refuses to lock a checker-error", async () => {
    await expect(VerdictLock.write(join(await tempDir(), "l.jsonl"), [verdict("a", "checker-error")])).rejects.toThrow(/refusing to lock a checker-error/);
  });

  it("names the line of a damaged lock", async () => {
    const file = join(await tempDir(), "l.jsonl");
    await writeFile(file, JSON.stringify(verdict("a", "pass")) + "\n" + JSON.stringify({ ...verdict("b", "pass"), status: "maybe" }) + "\n");
    await expect(VerdictLock.load(file)).rejects.toThrow(/l\.jsonl:2: status: /);
  });
});

describe("cached checker", () => {
  it("answers from the lock when the compiler is the one that recorded it", async () => {
    const file = join(await tempDir(), "l.jsonl");
    await VerdictLock.write(file, [verdict("locked", "pass")]);
    const inner = fakeChecker(hew, () => "fail");
    const checker = cachedChecker({ inner, lock: await VerdictLock.load(file), cache: new VerdictCache(await tempDir()) });
    expect(await checker.check("locked")).toMatchObject({ status: "pass", origin: "lock" });
    expect(inner.calls).toEqual([]);
    expect(await checker.check("new")).toMatchObject({ status: "fail", origin: "checked" });
    expect(inner.calls).toEqual(["new"]);
  });

  it("answers from the lock when there is no compiler", async () => {
    const file = join(await tempDir(), "l.jsonl");
    await VerdictLock.write(file, [verdict("locked", "pass")]);
    const missing = new HewNotFoundError("hew", "no `hew` on PATH");
    const checker = cachedChecker({ inner: unavailableChecker(missing), lock: await VerdictLock.load(file) });
    expect(await checker.check("locked")).toMatchObject({ status: "pass", origin: "lock", checker: hew });
    await expect(checker.check("new")).rejects.toThrow(/hew not found/);
  });

  it("checks locked code again with a compiler of another version, then caches that verdict", async () => {
    const file = join(await tempDir(), "l.jsonl");
    await VerdictLock.write(file, [verdict("locked", "pass")]);
    const dir = await tempDir();
    const upgraded = fakeChecker(next, () => "fail");
    const lock = await VerdictLock.load(file);
    expect(await cachedChecker({ inner: upgraded, lock, cache: new VerdictCache(dir) }).check("locked")).toMatchObject({ status: "fail", origin: "checked", checker: next });
    const again = fakeChecker(next, () => "fail");
    expect(await cachedChecker({ inner: again, lock, cache: new VerdictCache(dir) }).check("locked")).toMatchObject({ status: "fail", origin: "cache" });
    expect(again.calls).toEqual([]);
  });

  it("checks once, then answers from the cache; a new compiler version checks again", async () => {
    const dir = await tempDir();
    const first = fakeChecker(hew, () => "pass");
    await cachedChecker({ inner: first, cache: new VerdictCache(dir) }).check("x");
    const again = fakeChecker(hew, () => "fail");
    expect(await cachedChecker({ inner: again, cache: new VerdictCache(dir) }).check("x")).toMatchObject({ status: "pass", origin: "cache" });
    expect(again.calls).toEqual([]);
    const upgraded = fakeChecker(next, () => "fail");
    expect(await cachedChecker({ inner: upgraded, cache: new VerdictCache(dir) }).check("x")).toMatchObject({ status: "fail", origin: "checked" });
    expect(upgraded.calls).toEqual(["x"]);
  });

  it("asks again after a checker-error", async () => {
    const inner = fakeChecker(hew, () => "checker-error");
    const checker = cachedChecker({ inner, cache: new VerdictCache(await tempDir()) });
    await checker.check("x");
    await checker.check("x");
    expect(inner.calls).toEqual(["x", "x"]);
  });
});
