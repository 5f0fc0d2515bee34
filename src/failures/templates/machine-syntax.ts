import type { CorrectionTemplate } from "./template.js";

const CYCLES = [
  { machine: "Light", event: "Tick", states: ["Red", "Green", "Yellow"] },
  { machine: "Door", event: "Toggle", states: ["Closed", "Open"] },
  { machine: "Valve", event: "Turn", states: ["Shut", "Flowing"] },
  { machine: "Fan", event: "Press", states: ["Off", "Low", "High"] },
  { machine: "Phase", event: "Advance", states: ["Plan", "Build", "Test", "Ship"] },
];

const eventsHeader: CorrectionTemplate = {
  id: "machine-events-header",
  category: "state-machines",
  description: "Declare events in `events { }` and write heads as `on E: From => .To`: no `event X;` lines, `from` or `->`.",
  render(pick) {
    const c = pick.one(CYCLES);
    const states = c.states;
    const steps = pick.int(1, 5);
    const mistake = pick.one(["event-lines", "from", "arrow"]);
    const request = pick.one([
      `Model a ${c.machine.toLowerCase()} in Hew as a state machine that cycles ${states.join(" -> ")} on a ${c.event} event; step it ${steps} times and print the state name.`,
      `Write a Hew machine ${c.machine} with states ${states.join(", ")} and one event ${c.event} that moves to the next state in that order (wrapping around). Apply ${c.event} ${steps} times from ${states[0]} and print where it ends.`,
    ]);
    const render = (bad: boolean) => {
      const rules = states.map((s, i) => {
        const to = states[(i + 1) % states.length]!;
        if (bad && mistake === "from") return `    on ${c.event} from ${s} => .${to};`;
        if (bad && mistake === "arrow") return `    on ${c.event}: ${s} -> .${to};`;
        return `    on ${c.event}: ${s} => .${to};`;
      });
      const header = bad && mistake === "event-lines" ? [`    event ${c.event};`] : [`    events { ${c.event}; }`];
      const decls = states.map((s) => `    state ${s};`);
      const drive = Array.from({ length: steps }, () => `    m.step(.${c.event});`);
      return [`machine ${c.machine} {`, ...header, ...decls, ...rules, "}", "", "fn main() {", `    var m = ${c.machine}.${states[0]};`, ...drive, "    println(m.state_name());", "}", ""].join("\n");
    };
    return { request, correct: render(false), wrong: render(true) };
  },
};

const TURNSTILES = [
  { machine: "Turnstile", on: "Coin", off: "Push", locked: "Locked", open: "Unlocked", field: "coins" },
  { machine: "Kiosk", on: "Card", off: "Done", locked: "Idle", open: "Serving", field: "visits" },
  { machine: "Lock", on: "Code", off: "Close", locked: "Shut", open: "Released", field: "uses" },
];

const stateBodies: CorrectionTemplate = {
  id: "machine-state-bodies",
  category: "state-machines",
  description: "Transition bodies evaluate to the next state (with `reenter` for self-transitions), never print or return a string.",
  render(pick) {
    const t = pick.one(TURNSTILES);
    const events = pick.some([t.on, t.on, t.off, t.on, t.off], pick.int(2, 5));
    const request = pick.one([
      `Write a Hew state machine ${t.machine} with states ${t.locked} and ${t.open}, both storing a ${t.field} count, and events ${t.on} and ${t.off}: ${t.on} opens it and adds one to ${t.field}, ${t.off} closes it. Drive it with ${events.join(", ")} and print the final state and count.`,
      `Model a ${t.machine.toLowerCase()} in Hew: ${t.on} moves ${t.locked} to ${t.open} (counting ${t.field}), ${t.on} while ${t.open} stays open and still counts, ${t.off} goes back to ${t.locked}. Run ${events.join(", ")}.`,
    ]);
    const body = (to: string, count: string, bad: boolean, text: string) =>
      bad ? `{ println("${text}"); }` : `{ ${t.machine}.${to} { ${t.field}: ${count} } }`;
    const render = (bad: boolean) =>
      [
        `machine ${t.machine} {`,
        `    events { ${t.on}; ${t.off}; }`,
        `    state ${t.locked} { ${t.field}: i64; }`,
        `    state ${t.open} { ${t.field}: i64; }`,
        `    on ${t.on}: ${t.locked} => ${t.open} ${body(t.open, `self.${t.field} + 1`, bad, "opened")}`,
        `    on ${t.on}: ${t.open} => ${t.open} reenter ${body(t.open, `self.${t.field} + 1`, bad, "still open")}`,
        `    on ${t.off}: ${t.open} => ${t.locked} ${body(t.locked, `self.${t.field}`, bad, "closed")}`,
        `    on ${t.off}: ${t.locked} => ${t.locked} reenter { state }`,
        "}",
        "",
        "fn main() {",
        `    var m = ${t.machine}.${t.locked} { ${t.field}: 0 };`,
        ...events.map((e) => `    m.step(.${e});`),
        "    match m {",
        `        .${t.locked} { ${t.field} } => println(f"${t.locked} after {${t.field}}"),`,
        `        .${t.open} { ${t.field} } => println(f"${t.open} after {${t.field}}"),`,
        "    }",
        "}",
        "",
      ].join("\n");
    return { request, correct: render(false), wrong: render(true) };
  },
};

export default [eventsHeader, stateBodies];
