import type { CorrectionTemplate } from "./template.js";

const varAndPrintln: CorrectionTemplate = {
  id: "var-and-println",
  category: "algorithms",
  description: "Use `var` for mutable bindings and the `println(f\"..\")` function: no `let mut`, no `println!`/`format!`.",
  render(pick) {
    const lo = pick.int(0, 10);
    const hi = lo + pick.int(3, 40);
    const acc = pick.one(["total", "sum", "acc", "running"]);
    const [op, verb, start] = pick.one([
      ["+=", "sum", 0],
      ["*=", "product", 1],
    ] as const);
    const mistake = pick.one(["let-mut", "println", "format", "both"]);
    const request = pick.one([
      `Write a Hew program that computes the ${verb} of the integers from ${lo} up to ${hi - 1} in a loop and prints it with a label.`,
      `In Hew, accumulate the ${verb} of ${lo}..${hi} into a mutable variable called ${acc} and print "${verb} = <value>".`,
    ]);
    const render = (letMut: boolean, print: "fn" | "macro" | "format") => {
      const decl = letMut ? `let mut ${acc} = ${start};` : `var ${acc} = ${start};`;
      const out =
        print === "macro"
          ? `println!("${verb} = {}", ${acc});`
          : print === "format"
            ? `let line = format!("${verb} = {}", ${acc});\n    println(line);`
            : `println(f"${verb} = {${acc}}");`;
      return `fn main() {\n    ${decl}\n    for i in ${lo}..${hi} {\n        ${acc} ${op} i;\n    }\n    ${out}\n}\n`;
    };
    const wrong =
      mistake === "let-mut" ? render(true, "fn") : mistake === "println" ? render(false, "macro") : mistake === "format" ? render(false, "format") : render(true, "macro");
    return { request, correct: render(false, "fn"), wrong };
  },
};

const RECORDS = [
  { type: "Point", fields: ["x", "y"], method: "sum", op: " + " },
  { type: "Rect", fields: ["w", "h"], method: "area", op: " * " },
  { type: "Box3", fields: ["w", "h", "d"], method: "volume", op: " * " },
  { type: "Range", fields: ["lo", "hi"], method: "width", op: " - " },
];

const typeAndReceiver: CorrectionTemplate = {
  id: "type-and-receiver",
  category: "data-structures",
  description: "Declare records with `type` and give methods a named receiver parameter: no `struct`, `class` or `&self`.",
  render(pick) {
    const r = pick.one(RECORDS);
    const values = pick.ints(r.fields.length, 1, 400);
    const recv = pick.one(["me", "p", "it", r.type.toLowerCase()]);
    const local = pick.one(["v", "item", "shape", "rec"]);
    const request = pick.one([
      `Write a Hew record type ${r.type} with fields ${r.fields.join(", ")} (i64) and a method \`${r.method}\`; print it for ${r.fields.map((f, i) => `${f} = ${values[i]}`).join(", ")}.`,
      `In Hew, define ${r.type} { ${r.fields.join(", ")} } with a \`${r.method}\` method in an impl block and call it from main.`,
    ]);
    const expr = (self: string) => r.fields.map((f) => `${self}.${f}`).join(r.op);
    const literal = `${r.type} { ${r.fields.map((f, i) => `${f}: ${values[i]}`).join(", ")} }`;
    const main = `fn main() {\n    let ${local} = ${literal};\n    println(${local}.${r.method}());\n}\n`;
    const correct = `type ${r.type} {\n${r.fields.map((f) => `    ${f}: i64;`).join("\n")}\n}\n\nimpl ${r.type} {\n    fn ${r.method}(${recv}: ${r.type}) -> i64 {\n        ${expr(recv)}\n    }\n}\n\n${main}`;
    const keyword = pick.one(["struct", "class"]);
    const wrong = pick.one([
      `${keyword} ${r.type} {\n${r.fields.map((f) => `    ${f}: i64,`).join("\n")}\n}\n\nimpl ${r.type} {\n    fn ${r.method}(${recv}: ${r.type}) -> i64 {\n        ${expr(recv)}\n    }\n}\n\n${main}`,
      `type ${r.type} {\n${r.fields.map((f) => `    ${f}: i64;`).join("\n")}\n}\n\nimpl ${r.type} {\n    fn ${r.method}(&self) -> i64 {\n        ${expr("self")}\n    }\n}\n\n${main}`,
    ]);
    return { request, correct, wrong };
  },
};

const BANDS = [
  { fn: "grade", bands: [[90, "A"], [80, "B"], [70, "C"]], rest: "F", max: 100 },
  { fn: "size_class", bands: [[1000, "huge"], [100, "large"], [10, "medium"]], rest: "small", max: 5000 },
  { fn: "status_kind", bands: [[500, "server error"], [400, "client error"], [300, "redirect"]], rest: "ok", max: 599 },
] as const;

const guardsNotRanges: CorrectionTemplate = {
  id: "guards-not-ranges",
  category: "pattern-matching",
  description: "Classify numbers with `x if x >= a =>` guards: range patterns do not exist.",
  render(pick) {
    const b = pick.one(BANDS);
    const probes = pick.ints(pick.int(1, 3), 0, b.max);
    const request = pick.one([
      `Write a Hew function \`${b.fn}(n: i64) -> string\` that maps ${b.bands.map(([lo, label]) => `${lo} and up to "${label}"`).join(", ")} and anything lower to "${b.rest}", using match; print it for ${probes.join(", ")}.`,
      `Classify integers in Hew with a match: ${b.bands.map(([lo, label]) => `"${label}" from ${lo}`).join(", ")}, otherwise "${b.rest}". Show ${probes.join(", ")}.`,
    ]);
    const uppers = b.bands.map((_, i) => (i === 0 ? b.max : b.bands[i - 1]![0] - 1));
    const arms = (ranges: boolean) =>
      b.bands.map(([lo, label], i) => (ranges ? `        ${lo}..=${uppers[i]} => "${label}",` : `        x if x >= ${lo} => "${label}",`)).join("\n");
    const render = (ranges: boolean) =>
      `fn ${b.fn}(n: i64) -> string {\n    match n {\n${arms(ranges)}\n        _ => "${b.rest}",\n    }\n}\n\nfn main() {\n${probes.map((p) => `    println(${b.fn}(${p}));`).join("\n")}\n}\n`;
    return { request, correct: render(false), wrong: render(true) };
  },
};

export default [varAndPrintln, typeAndReceiver, guardsNotRanges];
