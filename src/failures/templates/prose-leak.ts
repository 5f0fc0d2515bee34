import type { Picker } from "../picker.js";
import type { CorrectionTemplate } from "./template.js";

interface Task {
  request: string;
  explanation: string;
  code: string;
}

const TASKS: ((pick: Picker) => Task)[] = [
  (pick) => {
    const xs = pick.ints(pick.int(3, 7), -99, 999);
    const fn = pick.one(["largest", "max_of", "biggest"]);
    return {
      request: `find the largest value in [${xs.join(", ")}] with a helper \`${fn}\``,
      explanation: "Walk the Vec once and keep the largest value seen so far.",
      code: `fn ${fn}(values: Vec<i64>) -> i64 {\n    var best = values[0];\n    for v in values {\n        if v > best {\n            best = v;\n        }\n    }\n    best\n}\n\nfn main() {\n    let xs: Vec<i64> = [${xs.join(", ")}];\n    println(${fn}(xs));\n}\n`,
    };
  },
  (pick) => {
    const n = pick.int(3, 20);
    const fn = pick.one(["factorial", "fact", "product_to"]);
    return {
      request: `compute ${n} factorial iteratively in a function \`${fn}\``,
      explanation: "Multiply an accumulator by every number from 2 up to n.",
      code: `fn ${fn}(n: i64) -> i64 {\n    var acc = 1;\n    for i in 2..n + 1 {\n        acc *= i;\n    }\n    acc\n}\n\nfn main() {\n    println(${fn}(${n}));\n}\n`,
    };
  },
  (pick) => {
    const from = pick.int(3, 12);
    const word = pick.one(["liftoff", "go", "done", "time"]);
    return {
      request: `count down from ${from} to 1 and then print "${word}"`,
      explanation: "A while loop prints the counter and decrements it until it reaches zero.",
      code: `fn main() {\n    var n = ${from};\n    while n > 0 {\n        println(n);\n        n -= 1;\n    }\n    println("${word}");\n}\n`,
    };
  },
];

const INTROS = ["Here is the Hew program:", "Sure! This Hew program does what you asked.", "Below is a complete Hew solution.", "Here's how you can do it in Hew:"];

const codeOnly: CorrectionTemplate = {
  id: "code-only-answer",
  category: "general",
  description: "Answer with the program alone; explanations go in `//` comments, never around the code.",
  render(pick) {
    const task = pick.one(TASKS)(pick);
    const request = pick.one([
      `Write a Hew program to ${task.request}, and explain how it works.`,
      `Please ${task.request} in Hew. A short explanation would help.`,
      `How would I ${task.request} in Hew? Walk me through it.`,
    ]);
    const correct = `// ${task.explanation}\n${task.code}`;
    const fenced = "```hew\n" + task.code + "```\n";
    const wrong = pick.one([
      `${pick.one(INTROS)}\n${fenced}`,
      `${pick.one(INTROS)}\n\n${task.code}`,
      `${task.code}\n${task.explanation}\n`,
      `${fenced}\n${task.explanation}\n`,
    ]);
    return { request, correct, wrong };
  },
};

export default [codeOnly];
