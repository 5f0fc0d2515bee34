import type { CorrectionTemplate } from "./template.js";

const RESOURCES = [
  { type: "Conn", field: "fd", actor: "Sink", handler: "take" },
  { type: "Lease", field: "slot", actor: "Keeper", handler: "hold" },
  { type: "Ticket", field: "seat", actor: "Gate", handler: "admit" },
  { type: "Handle", field: "id", actor: "Closer", handler: "adopt" },
];

const readBeforeSend: CorrectionTemplate = {
  id: "resource-read-before-send",
  category: "actors",
  description: "Read what you need from a `#[resource]` before sending it: the send moves it.",
  render(pick) {
    const r = pick.one(RESOURCES);
    const n = pick.int(1, 900);
    const local = pick.one(["v", "saved", "kept", "copy"]);
    const request = pick.one([
      `Write a Hew program with a #[resource] type ${r.type} { ${r.field}: i64 } that prints when it closes, send one to an actor ${r.actor} through \`${r.handler}\`, and print its ${r.field} in main too.`,
      `In Hew, hand a ${r.type} resource (${r.field} = ${n}) to a ${r.actor} actor and still log the ${r.field} from main afterwards.`,
    ]);
    const head = `#[resource]\ntype ${r.type} {\n    ${r.field}: i64\n}\n\nimpl ${r.type} {\n    fn close(x: ${r.type}) {\n        println(f"close {x.${r.field}}");\n    }\n}\n\nactor ${r.actor} {\n    receive fn ${r.handler}(x: ${r.type}) {\n        println(f"${r.handler} {x.${r.field}}");\n    }\n}\n\nfn main() {\n    let a = spawn ${r.actor};\n    let res = ${r.type} { ${r.field}: ${n} };\n`;
    return {
      request,
      correct: `${head}    let ${local} = res.${r.field};\n    a.${r.handler}(res);\n    println(f"sent ${r.field} {${local}}");\n}\n`,
      wrong: `${head}    a.${r.handler}(res);\n    println(f"sent ${r.field} {res.${r.field}}");\n}\n`,
    };
  },
};

export default [readBeforeSend];
