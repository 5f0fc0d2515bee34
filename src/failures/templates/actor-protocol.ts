import type { CorrectionTemplate } from "./template.js";

const ACTORS = [
  { actor: "Counter", field: "n", add: "add", get: "get", noun: "count" },
  { actor: "Tally", field: "total", add: "log_amount", get: "total_so_far", noun: "total" },
  { actor: "Meter", field: "units", add: "consume", get: "reading", noun: "reading" },
  { actor: "Ledger", field: "balance", add: "deposit", get: "balance_of", noun: "balance" },
];

const awaitReply: CorrectionTemplate = {
  id: "await-reply",
  category: "actors",
  description: "Await a request-reply handler and match its `Result`: no `.ask`, no call without `await`, no `await` inside an expression.",
  render(pick) {
    const a = pick.one(ACTORS);
    const amounts = pick.ints(pick.int(1, 4), 1, 500);
    const ref = pick.one(["c", "acct", "ref", "h"]);
    const request = pick.one([
      `Write a Hew actor ${a.actor} with a fire-and-forget \`${a.add}(k: i64)\` and a request-reply \`${a.get}() -> i64\`; send ${amounts.join(", ")} and print the ${a.noun}.`,
      `In Hew, spawn a ${a.actor} actor, ${a.add} the amounts ${amounts.join(", ")}, then ask it for its ${a.noun} and print the reply (or an error line if it does not answer).`,
    ]);
    const head = `actor ${a.actor} {\n    var ${a.field}: i64 = 0;\n    receive fn ${a.add}(k: i64) {\n        ${a.field} += k;\n    }\n    receive fn ${a.get}() -> i64 {\n        ${a.field}\n    }\n}\n\nfn main() {\n    let ${ref} = spawn ${a.actor};\n${amounts.map((k) => `    ${ref}.${a.add}(${k});\n`).join("")}`;
    const correct = `${head}    match await ${ref}.${a.get}() {\n        .Ok(v) => println(f"${a.noun}: {v}"),\n        .Err(_) => println("no reply"),\n    }\n}\n`;
    const wrong = head + pick.one([`    let v = ${ref}.${a.get}();\n    println(f"${a.noun}: {v}");\n}\n`, `    println(await ${ref}.${a.get}());\n}\n`, `    let v = ${ref}.ask(${a.get});\n    println(v);\n}\n`]);
    return { request, correct, wrong };
  },
};

export default [awaitReply];
