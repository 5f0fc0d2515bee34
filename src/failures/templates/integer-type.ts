import type { CorrectionTemplate } from "./template.js";

const OPERATIONS = [
  { fn: "larger", words: "the larger of two integers", body: "if a > b { a } else { b }" },
  { fn: "smaller", words: "the smaller of two integers", body: "if a < b { a } else { b }" },
  { fn: "distance", words: "the absolute difference of two integers", body: "if a > b { a - b } else { b - a }" },
  { fn: "midpoint", words: "the midpoint of two integers", body: "(a + b) / 2" },
];

const primitiveNames: CorrectionTemplate = {
  id: "lowercase-primitives",
  category: "algorithms",
  description: "Write `i64` and `string`: `Int`, `int` and `String` are unknown types.",
  render(pick) {
    const op = pick.one(OPERATIONS);
    const [a, b] = pick.ints(2, -50, 200);
    const wrongInt = pick.one(["Int", "int"]);
    const label = pick.one(["result", "answer", "value"]);
    const request = pick.one([
      `Write a Hew function \`${op.fn}\` returning ${op.words}, plus a \`describe\` helper that labels it as "${label}: N"; print describe(${op.fn}(${a}, ${b})).`,
      `In Hew, compute ${op.words} ${a} and ${b} in a function named ${op.fn} and print it through a helper that returns the text "${label}: <n>".`,
    ]);
    const render = (int: string, str: string) =>
      `fn ${op.fn}(a: ${int}, b: ${int}) -> ${int} {\n    ${op.body}\n}\n\nfn describe(n: ${int}) -> ${str} {\n    f"${label}: {n}"\n}\n\nfn main() {\n    println(describe(${op.fn}(${a}, ${b})));\n}\n`;
    return { request, correct: render("i64", "string"), wrong: render(wrongInt, pick.one(["String", "string"])) };
  },
};

const SHAPES = [
  { fn: "area", params: ["w", "h"], words: "the area of a rectangle" },
  { fn: "volume", params: ["w", "h", "d"], words: "the volume of a box" },
  { fn: "cells", params: ["rows", "cols"], words: "the number of cells in a grid" },
];

const widthCasts: CorrectionTemplate = {
  id: "numeric-width-casts",
  category: "algorithms",
  description: "Widen `i32` values with `as i64` before mixing them with `i64`: Hew never converts numeric types implicitly.",
  render(pick) {
    const shape = pick.one(SHAPES);
    const values = pick.ints(shape.params.length, 2, 3000);
    const params = shape.params.map((p) => `${p}: i32`).join(", ");
    const request = pick.one([
      `Write a Hew function \`${shape.fn}(${params}) -> i64\` computing ${shape.words} without overflowing i32, and print it for ${values.join(", ")}.`,
      `In Hew, take ${shape.params.length} i32 sizes and return ${shape.words} as an i64; show it for ${values.join(" x ")}.`,
    ]);
    const product = (cast: boolean) => shape.params.map((p) => (cast ? `${p} as i64` : p)).join(" * ");
    const render = (expr: string) => `fn ${shape.fn}(${params}) -> i64 {\n    ${expr}\n}\n\nfn main() {\n    println(${shape.fn}(${values.join(", ")}));\n}\n`;
    return { request, correct: render(product(true)), wrong: render(product(false)) };
  },
};

export default [primitiveNames, widthCasts];
