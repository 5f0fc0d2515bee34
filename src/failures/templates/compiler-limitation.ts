import type { CorrectionTemplate } from "./template.js";

const PAIR_CHECKS = [
  { fn: "quadrant", test: "x > 0 && y > 0", yes: "first quadrant", no: "elsewhere", zero: "origin" },
  { fn: "order", test: "x < y", yes: "ascending", no: "not ascending", zero: "both zero" },
  { fn: "same_sign", test: "x * y > 0", yes: "same sign", no: "mixed signs", zero: "zeros" },
];

const tupleGuardInBody: CorrectionTemplate = {
  id: "tuple-condition-in-arm",
  category: "pattern-matching",
  description: "Test a destructured tuple inside the arm body: a guard on a tuple destructure is not lowered yet (MIR NotYetImplemented).",
  render(pick) {
    const c = pick.one(PAIR_CHECKS);
    const pairs = Array.from({ length: pick.int(1, 3) }, () => pick.ints(2, -20, 20));
    const request = pick.one([
      `Write a Hew function \`${c.fn}(p: (i64, i64)) -> string\` that matches on the tuple: "${c.zero}" for (0, 0), "${c.yes}" when ${c.test}, else "${c.no}". Print it for ${pairs.map(([x, y]) => `(${x}, ${y})`).join(", ")}.`,
      `In Hew, classify pairs of integers with a match on a tuple (${c.zero} / ${c.yes} / ${c.no}, where "${c.yes}" means ${c.test}) and show ${pairs.map(([x, y]) => `(${x}, ${y})`).join(" and ")}.`,
    ]);
    const main = `fn main() {\n${pairs.map(([x, y]) => `    println(${c.fn}((${x}, ${y})));`).join("\n")}\n}\n`;
    const correct = `fn ${c.fn}(p: (i64, i64)) -> string {\n    match p {\n        (0, 0) => "${c.zero}",\n        (x, y) => {\n            if ${c.test} {\n                "${c.yes}"\n            } else {\n                "${c.no}"\n            }\n        },\n    }\n}\n\n${main}`;
    const wrong = `fn ${c.fn}(p: (i64, i64)) -> string {\n    match p {\n        (0, 0) => "${c.zero}",\n        (x, y) if ${c.test} => "${c.yes}",\n        _ => "${c.no}",\n    }\n}\n\n${main}`;
    return { request, correct, wrong };
  },
};

const METERS = [
  { machine: "Meter", event: "Sample", field: "v", quiet: "Quiet", loud: "Loud", keep: "peak" },
  { machine: "Gauge", event: "Reading", field: "level", quiet: "Normal", loud: "Alarm", keep: "high" },
  { machine: "Sensor", event: "Tick", field: "temp", quiet: "Idle", loud: "Hot", keep: "max" },
];

const explicitStateInBranch: CorrectionTemplate = {
  id: "explicit-state-in-branch",
  category: "state-machines",
  description: "Name the next state in every branch of a transition body: `state` inside an `if` branch cannot be lowered yet (MIR UnresolvedPlace).",
  render(pick) {
    const m = pick.one(METERS);
    const threshold = pick.int(10, 90);
    const inputs = pick.ints(pick.int(1, 4), 0, 120);
    const request = pick.one([
      `Write a Hew state machine ${m.machine} that stays ${m.quiet} until a ${m.event} event carries a ${m.field} above ${threshold}, then moves to ${m.loud} remembering that ${m.field} as ${m.keep}; feed it ${inputs.join(", ")} and print the state.`,
      `Model a threshold detector in Hew: machine ${m.machine}, event ${m.event} { ${m.field}: i64 }, states ${m.quiet} and ${m.loud} { ${m.keep}: i64 }. Go to ${m.loud} when ${m.field} > ${threshold}. Run it on ${inputs.join(", ")}.`,
    ]);
    const render = (otherwise: string) =>
      `machine ${m.machine} {\n    events { ${m.event} { ${m.field}: i64; } }\n    state ${m.quiet};\n    state ${m.loud} { ${m.keep}: i64; }\n    on ${m.event}: ${m.quiet} => _ {\n        if event.${m.field} > ${threshold} { ${m.machine}.${m.loud} { ${m.keep}: event.${m.field} } } else { ${otherwise} }\n    }\n    on ${m.event}: ${m.loud} => ${m.loud} reenter { ${m.machine}.${m.loud} { ${m.keep}: event.${m.field} } }\n}\n\nfn main() {\n    var m = ${m.machine}.${m.quiet};\n${inputs.map((v) => `    m.step(${m.machine}Event.${m.event} { ${m.field}: ${v} });`).join("\n")}\n    println(m.state_name());\n}\n`;
    return { request, correct: render(`${m.machine}.${m.quiet}`), wrong: render("state") };
  },
};

export default [tupleGuardInBody, explicitStateInBranch];
