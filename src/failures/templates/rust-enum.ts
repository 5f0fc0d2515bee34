import type { CorrectionTemplate } from "./template.js";

const THEMES = [
  {
    name: "Shape",
    fn: "area",
    ret: "f64",
    variants: [
      { decl: "Dot", arm: ".Dot => 0.0", make: "Dot" },
      { decl: "Circle(f64)", arm: ".Circle(r) => 3.14 * r * r", make: "Circle(2.0)" },
      { decl: "Square(f64)", arm: ".Square(w) => w * w", make: "Square(3.0)" },
      { decl: "Rect { w: f64; h: f64 }", arm: ".Rect { w, h } => w * h", make: "Rect { w: 2.0, h: 5.0 }" },
    ],
  },
  {
    name: "Coin",
    fn: "cents",
    ret: "i64",
    variants: [
      { decl: "Penny", arm: ".Penny => 1", make: "Penny" },
      { decl: "Nickel", arm: ".Nickel => 5", make: "Nickel" },
      { decl: "Dime", arm: ".Dime => 10", make: "Dime" },
      { decl: "Custom(i64)", arm: ".Custom(v) => v", make: "Custom(42)" },
    ],
  },
  {
    name: "Command",
    fn: "describe",
    ret: "string",
    variants: [
      { decl: "Quit", arm: '.Quit => "quit"', make: "Quit" },
      { decl: "Say(string)", arm: '.Say(text) => f"say {text}"', make: 'Say("hi")' },
      { decl: "Move { x: i64; y: i64 }", arm: '.Move { x, y } => f"move to {x},{y}"', make: "Move { x: 3, y: 4 }" },
      { decl: "Wait(i64)", arm: '.Wait(ms) => f"wait {ms} ms"', make: "Wait(250)" },
    ],
  },
];

const semicolonVariants: CorrectionTemplate = {
  id: "enum-semicolons",
  category: "pattern-matching",
  description: "Separate enum variants (and struct-variant fields) with `;`, build them as `Enum.Variant`, match them as `.Variant`.",
  render(pick) {
    const theme = pick.one(THEMES);
    const variants = pick.some(theme.variants, pick.int(2, theme.variants.length));
    const chosen = pick.one(variants);
    const request = pick.one([
      `Define a Hew enum ${theme.name} with the variants ${variants.map((v) => v.decl.split(/[({ ]/)[0]).join(", ")} and a function \`${theme.fn}\` that matches on it; print ${theme.fn} of a ${chosen.decl.split(/[({ ]/)[0]}.`,
      `Write Hew code for an enum ${theme.name} (${variants.map((v) => v.decl).join("; ")}) with a ${theme.fn}(${theme.name.toLowerCase()}: ${theme.name}) -> ${theme.ret} function, and call it once from main.`,
    ]);
    const render = (bad: boolean) => {
      const decl = bad
        ? `enum ${theme.name} {\n${variants.map((v) => `    ${v.decl.replace(/; /g, ", ")}`).join(",\n")}\n}`
        : `enum ${theme.name} {\n${variants.map((v) => `    ${v.decl};`).join("\n")}\n}`;
      const param = theme.name.toLowerCase();
      return `${decl}\n\nfn ${theme.fn}(${param}: ${theme.name}) -> ${theme.ret} {\n    match ${param} {\n${variants.map((v) => `        ${v.arm},`).join("\n")}\n    }\n}\n\nfn main() {\n    println(${theme.fn}(${theme.name}.${chosen.make}));\n}\n`;
    };
    return { request, correct: render(false), wrong: render(true) };
  },
};

const variantShapes: CorrectionTemplate = {
  id: "enum-variant-shapes",
  category: "pattern-matching",
  description: "Build struct variants with braces and tuple variants with parentheses, exactly as declared.",
  render(pick) {
    const [x, y] = pick.ints(2, 0, 640);
    const key = pick.one(["q", "w", "z", "k"]);
    const name = pick.one(["Event", "Input", "Signal"]);
    const request = pick.one([
      `Write a Hew enum ${name} with a struct variant Click { x: i64; y: i64 } and a tuple variant Key(string); describe a click at (${x}, ${y}) and a key "${key}" with a match.`,
      `In Hew, model UI input as ${name}.Click { x, y } or ${name}.Key(name) and print a description of both a click at ${x},${y} and the key ${key}.`,
    ]);
    const render = (click: string, press: string) =>
      `enum ${name} {\n    Click { x: i64; y: i64 }\n    Key(string);\n}\n\nfn describe(e: ${name}) -> string {\n    match e {\n        .Click { x, y } => f"click at {x},{y}",\n        .Key(k) => f"key {k}",\n    }\n}\n\nfn main() {\n    println(describe(${click}));\n    println(describe(${press}));\n}\n`;
    const correct = render(`${name}.Click { x: ${x}, y: ${y} }`, `${name}.Key("${key}")`);
    const wrong = pick.one([render(`${name}.Click(x: ${x}, y: ${y})`, `${name}.Key("${key}")`), render(`${name}.Click { x: ${x}, y: ${y} }`, `${name}.Key { name: "${key}" }`)]);
    return { request, correct, wrong };
  },
};

export default [semicolonVariants, variantShapes];
