import type { CorrectionTemplate } from "./template.js";

const vecSum: CorrectionTemplate = {
  id: "vec-sum-loop",
  category: "algorithms",
  description: "Sum a Vec with a loop: `VecIter` has no `sum` or `fold` method.",
  render(pick) {
    const fn = pick.one(["total_of", "sum_all", "add_up", "sum_values", "grand_total"]);
    const vec = pick.one(["readings", "scores", "prices", "samples", "lengths", "weights"]);
    const acc = pick.one(["sum", "acc", "running"]);
    const list = `[${pick.ints(pick.int(3, 6), 1, 99).join(", ")}]`;
    const request = pick.one([
      `Write a Hew function \`${fn}\` that adds up a Vec<i64>, and a main that prints the total of ${list}.`,
      `In Hew, sum the ${vec} ${list} with a helper called \`${fn}\` and print the result.`,
      `Give me a Hew program whose function \`${fn}(values: Vec<i64>) -> i64\` returns the sum of the values; main prints it for ${list}.`,
    ]);
    const main = `fn main() {\n    let ${vec}: Vec<i64> = ${list};\n    println(f"total = {${fn}(${vec})}");\n}\n`;
    const mistake = pick.one(["values.iter().sum()", "values.iter().fold(0, |a: i64, b: i64| a + b)"]);
    return {
      request,
      correct: `fn ${fn}(values: Vec<i64>) -> i64 {\n    var ${acc} = 0;\n    for v in values {\n        ${acc} += v;\n    }\n    ${acc}\n}\n\n${main}`,
      wrong: `fn ${fn}(values: Vec<i64>) -> i64 {\n    ${mistake}\n}\n\n${main}`,
    };
  },
};

const WORD_SETS = [
  ["red", "blue", "green"],
  ["apple", "pear", "plum"],
  ["north", "south", "east"],
  ["cat", "dog", "owl"],
  ["ok", "error", "retry"],
];

const wordCount: CorrectionTemplate = {
  id: "hashmap-count",
  category: "data-structures",
  description: "Count with `match m.get(k)` and `insert`: HashMap has no `entry`/`or_insert`.",
  render(pick) {
    const set = pick.one(WORD_SETS);
    const words = pick.ints(pick.int(4, 7), 0, set.length - 1).map((i) => set[i]!);
    const target = pick.one(words);
    const map = pick.one(["counts", "tally", "freq", "seen"]);
    const list = `[${words.map((w) => `"${w}"`).join(", ")}]`;
    const request = pick.one([
      `Count how often each word occurs in ${list} with a Hew HashMap and print the count for "${target}".`,
      `Write a Hew program that builds a word-frequency table from ${list} and prints how many times "${target}" appears.`,
      `Using HashMap<string, i64> in Hew, tally the words ${list}; print the tally of "${target}".`,
    ]);
    const head = `fn main() {\n    let words: Vec<string> = ${list};\n    let ${map}: HashMap<string, i64> = HashMap.new();\n    for w in words {\n`;
    const tail = `    }\n    match ${map}.get("${target}") {\n        .Some(c) => println(f"${target}: {c}"),\n        .None => println("${target}: 0"),\n    }\n}\n`;
    const update = `        match ${map}.get(w) {\n            .Some(c) => ${map}.insert(w, c + 1),\n            .None => ${map}.insert(w, 1),\n        }\n`;
    const mistake = pick.one([`        *${map}.entry(w).or_insert(0) += 1;\n`, `        let c = ${map}.entry(w).or_insert(0);\n        ${map}.insert(w, c + 1);\n`]);
    return { request, correct: head + update + tail, wrong: head + mistake + tail };
  },
};

const intToString: CorrectionTemplate = {
  id: "int-to-string",
  category: "real-world",
  description: "Turn numbers into text with an f-string or `to_string(n)`: `i64` has no `.to_string()` and string has no `push_str`.",
  render(pick) {
    const fn = pick.one(["label", "tag_for", "badge", "slot_name"]);
    const prefix = pick.one(["item", "order", "ticket", "row", "job"]);
    const sep = pick.one(["-", "#", "_"]);
    const n = pick.int(1, 999);
    const request = pick.one([
      `Write a Hew function \`${fn}(n: i64) -> string\` that returns "${prefix}${sep}" followed by the number, and print ${fn}(${n}).`,
      `In Hew, build the text "${prefix}${sep}${n}" from the number ${n} inside a helper \`${fn}\` and print it.`,
      `I need a Hew helper \`${fn}\` that turns an i64 into a label like "${prefix}${sep}7"; show it for ${n}.`,
    ]);
    const main = `fn main() {\n    println(${fn}(${n}));\n}\n`;
    const [wrongBody, correctBody] = pick.one([
      [`    "${prefix}${sep}" + n.to_string()\n`, `    "${prefix}${sep}" + to_string(n)\n`],
      [`    var out = "${prefix}${sep}";\n    out.push_str(to_string(n));\n    out\n`, `    f"${prefix}${sep}{n}"\n`],
    ] as const);
    return { request, correct: `fn ${fn}(n: i64) -> string {\n${correctBody}}\n\n${main}`, wrong: `fn ${fn}(n: i64) -> string {\n${wrongBody}}\n\n${main}` };
  },
};

export default [vecSum, wordCount, intToString];
