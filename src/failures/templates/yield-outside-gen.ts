import type { CorrectionTemplate } from "./template.js";

const generatorFunction: CorrectionTemplate = {
  id: "gen-fn",
  category: "generators",
  description: "Declare a lazy sequence as `gen fn`: `yield` in a plain fn is `YieldOutsideGenerator`.",
  render(pick) {
    const step = pick.int(2, 7);
    const limit = step * pick.int(3, 12);
    const name = pick.one(["multiples", "steps", "strides", "ticks", "marks"]);
    const total = pick.one(["total", "sum", "acc"]);
    const request = pick.one([
      `Write a Hew generator \`${name}(limit: i64)\` that yields every multiple of ${step} below the limit, and sum the values below ${limit} in main.`,
      `Lazily produce 0, ${step}, ${step * 2}, ... up to (not including) ${limit} in Hew, then print their sum.`,
      `I want a Hew function called ${name} that yields the multiples of ${step} below a limit one at a time; add them up for ${limit}.`,
    ]);
    const render = (head: string) =>
      `${head} ${name}(limit: i64) -> i64 {\n    var i = 0;\n    while i < limit {\n        yield i;\n        i += ${step};\n    }\n}\n\nfn main() {\n    var ${total} = 0;\n    for x in ${name}(${limit}) {\n        ${total} += x;\n    }\n    println(${total});\n}\n`;
    return { request, correct: render("gen fn"), wrong: render("fn") };
  },
};

const generatorNotMain: CorrectionTemplate = {
  id: "gen-fn-not-main",
  category: "generators",
  description: "Move the `yield` loop out of `main` into a `gen fn` and consume it with `for`.",
  render(pick) {
    const count = pick.int(3, 20);
    const name = pick.one(["fib", "fibonacci", "fib_seq"]);
    const request = pick.one([
      `Write a Hew generator that yields the first ${count} Fibonacci numbers and print each one.`,
      `Print the first ${count} Fibonacci numbers in Hew using a generator function named ${name}.`,
    ]);
    const loop = (pad: string) => `${pad}var a = 0;\n${pad}var b = 1;\n${pad}var k = 0;\n${pad}while k < n {\n${pad}    yield a;\n${pad}    let next = a + b;\n${pad}    a = b;\n${pad}    b = next;\n${pad}    k += 1;\n${pad}}\n`;
    const correct = `gen fn ${name}(n: i64) -> i64 {\n${loop("    ")}}\n\nfn main() {\n    for x in ${name}(${count}) {\n        println(x);\n    }\n}\n`;
    const wrong = `fn main() {\n    let n = ${count};\n${loop("    ")}}\n`;
    return { request, correct, wrong };
  },
};

export default [generatorFunction, generatorNotMain];
