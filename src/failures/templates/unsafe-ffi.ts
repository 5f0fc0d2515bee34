import type { CorrectionTemplate } from "./template.js";

const FUNCTIONS = [
  { c: "abs", type: "i32", words: "absolute value", sample: () => -1 },
  { c: "labs", type: "i64", words: "absolute value", sample: () => -1 },
  { c: "toupper", type: "i32", words: "upper-case character code", sample: () => 1 },
];

const externInUnsafe: CorrectionTemplate = {
  id: "extern-in-unsafe",
  category: "extern-ffi",
  description: "Wrap every extern call in `unsafe { }`, also inside helpers and loops.",
  render(pick) {
    const f = pick.one(FUNCTIONS);
    const helper = pick.one(["safe_" + f.c, "wrap_" + f.c, "c_" + f.c]);
    const values = f.c === "toupper" ? pick.ints(pick.int(1, 4), 97, 122) : pick.ints(pick.int(1, 4), -999, 999);
    const inLoop = values.length > 1;
    const request = pick.one([
      `Call the C library's \`${f.c}\` from Hew through a safe helper \`${helper}\` and print the ${f.words} of ${values.join(", ")}.`,
      `Declare \`${f.c}\` from libc in Hew and print its result for ${values.join(", ")}${inLoop ? " in a loop" : ""}.`,
    ]);
    const call = (wrap: boolean) => (wrap ? `unsafe { ${f.c}(x) }` : `${f.c}(x)`);
    const render = (wrap: boolean) => {
      const use = inLoop
        ? `    let xs: Vec<${f.type}> = [${values.join(", ")}];\n    for v in xs {\n        println(${helper}(v));\n    }\n`
        : `    println(${helper}(${values[0]}));\n`;
      return `extern "C" {\n    fn ${f.c}(x: ${f.type}) -> ${f.type};\n}\n\nfn ${helper}(x: ${f.type}) -> ${f.type} {\n    ${call(wrap)}\n}\n\nfn main() {\n${use}}\n`;
    };
    return { request, correct: render(true), wrong: render(false) };
  },
};

export default [externInUnsafe];
