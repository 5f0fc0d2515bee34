import type { CorrectionTemplate } from "./template.js";

const SPLITS = [
  { actor: "Summer", handler: "run", left: "first_half", right: "second_half", lo: 0, mid: 500, hi: 1000 },
  { actor: "Splitter", handler: "total", left: "low_part", right: "high_part", lo: 1, mid: 51, hi: 101 },
  { actor: "Adder", handler: "compute", left: "front", right: "back", lo: 10, mid: 60, hi: 110 },
];

const scopeFork: CorrectionTemplate = {
  id: "scope-fork-in-actor",
  category: "concurrency",
  description: "Run a parallel task with `scope { fork t = f(); ... await t }` inside a `receive fn`: `scope |s|`, `s.launch`, `fork { }` and `thread::spawn` are gone.",
  render(pick) {
    const s = { ...pick.one(SPLITS) };
    s.mid = pick.int(s.lo + 1, s.hi - 1);
    const ref = pick.one(["s", "worker", "job"]);
    const request = pick.one([
      `In Hew, sum the integers from ${s.lo} to ${s.hi - 1} by computing the two halves (split at ${s.mid}) in parallel inside an actor ${s.actor}, and print the total.`,
      `Write a Hew actor ${s.actor} whose \`${s.handler}() -> i64\` runs \`${s.left}()\` as a child task while it computes \`${s.right}()\` itself, then combines them; print the result from main.`,
    ]);
    const helpers = `fn sum_range(lo: i64, hi: i64) -> i64 {\n    var acc = 0;\n    for i in lo..hi {\n        acc += i;\n    }\n    acc\n}\n\nfn ${s.left}() -> i64 {\n    sum_range(${s.lo}, ${s.mid})\n}\n\nfn ${s.right}() -> i64 {\n    sum_range(${s.mid}, ${s.hi})\n}\n\n`;
    const body = (inner: string) =>
      `${helpers}actor ${s.actor} {\n    receive fn ${s.handler}() -> i64 {\n        var total = 0;\n${inner}        total\n    }\n}\n\nfn main() {\n    let ${ref} = spawn ${s.actor};\n    match await ${ref}.${s.handler}() {\n        .Ok(v) => println(f"total = {v}"),\n        .Err(_) => println("no reply"),\n    }\n}\n`;
    const correct = body(`        scope {\n            fork a = ${s.left}();\n            let b = ${s.right}();\n            let x = await a;\n            total += x + b;\n        }\n`);
    const wrong = body(
      pick.one([
        `        scope |sc| {\n            let a = sc.launch(${s.left}());\n            let b = sc.launch(${s.right}());\n            total = await a + await b;\n        }\n`,
        `        fork {\n            total += ${s.left}();\n        }\n        total += ${s.right}();\n`,
        `        let handle = thread::spawn(|| ${s.left}());\n        total = handle.join() + ${s.right}();\n`,
      ]),
    );
    return { request, correct, wrong };
  },
};

export default [scopeFork];
