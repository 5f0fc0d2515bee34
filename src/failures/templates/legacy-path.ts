import type { CorrectionTemplate } from "./template.js";

const SEQUENCES = [
  { name: "squares", expr: "i * i", words: "the squares" },
  { name: "doubles", expr: "i * 2", words: "the doubles" },
  { name: "cubes", expr: "i * i * i", words: "the cubes" },
  { name: "triangles", expr: "i * (i + 1) / 2", words: "the triangular numbers" },
];

const dottedConstructors: CorrectionTemplate = {
  id: "dotted-constructors",
  category: "data-structures",
  description: "Build collections with `Vec.new()` / `HashMap.new()`: `::` paths are parse errors.",
  render(pick) {
    const seq = pick.one(SEQUENCES);
    const n = pick.int(3, 9);
    const out = pick.one(["out", "items", "result", "acc"]);
    const useMap = pick.int(0, 1) === 1;
    const request = pick.one([
      `Write a Hew function \`${seq.name}(n: i64)\` that collects ${seq.words} of 0..n${useMap ? " into a HashMap from i to the value" : " into a Vec"}, and print the entry for ${n - 1} with n = ${n}.`,
      `In Hew, fill a ${useMap ? "HashMap<i64, i64>" : "Vec<i64>"} with ${seq.words} of the numbers below ${n} and print the last one.`,
      `Show me a Hew program that computes ${seq.words} of 0 to ${n - 1} in a helper named ${seq.name}, stores them in a ${useMap ? "HashMap" : "Vec"} and prints the value for ${n - 1}.`,
    ]);
    const render = (sep: string) => {
      const [type, make, add, read] = useMap
        ? [`HashMap<i64, i64>`, `HashMap${sep}new()`, `${out}.insert(i, ${seq.expr});`, `match table.get(${n - 1}) {\n        .Some(v) => println(f"${seq.name}[${n - 1}] = {v}"),\n        .None => println("missing"),\n    }`]
        : [`Vec<i64>`, `Vec${sep}new()`, `${out}.push(${seq.expr});`, `println(f"${seq.name}[${n - 1}] = {table[${n - 1}]}");`];
      return `fn ${seq.name}(n: i64) -> ${type} {\n    let ${out}: ${type} = ${make};\n    for i in 0..n {\n        ${add}\n    }\n    ${out}\n}\n\nfn main() {\n    let table = ${seq.name}(${n});\n    ${read}\n}\n`;
    };
    return { request, correct: render("."), wrong: render("::") };
  },
};

const dottedImports: CorrectionTemplate = {
  id: "dotted-imports",
  category: "real-world",
  description: "Import and call std modules with dots (`import std.string;`, `string.to_int(s)`), never `std::` or `use`.",
  render(pick) {
    const text = String(pick.int(2, 9999));
    const add = pick.int(1, 50);
    const fn = pick.one(["parse_or_zero", "to_number", "read_count", "as_int"]);
    const request = pick.one([
      `Write a Hew helper \`${fn}(s: string) -> i64\` that parses a decimal string with std.string and returns 0 when it is not a number; print ${fn}("${text}") + ${add}.`,
      `In Hew, convert the text "${text}" to an integer using the std string module (0 if invalid), add ${add} and print it.`,
      `How do I parse "${text}" into an i64 in Hew? Put it in a function called ${fn} that falls back to 0, and print the result plus ${add}.`,
    ]);
    const body = (imp: string, call: string) =>
      `${imp}\n\nfn ${fn}(s: string) -> i64 {\n    match ${call}(s) {\n        .Some(n) => n,\n        .None => 0,\n    }\n}\n\nfn main() {\n    println(${fn}("${text}") + ${add});\n}\n`;
    const wrongImport = pick.one(["import std::string;", "use std::string;"]);
    return { request, correct: body("import std.string;", "string.to_int"), wrong: body(wrongImport, "string::to_int") };
  },
};

export default [dottedConstructors, dottedImports];
