import type { FailureCategory } from "../category.js";
import templates from "../templates/machine-syntax.js";

const TRANSITION_HEAD = /^\s*on\s+\w/;

export default {
  id: "machine-syntax",
  title: "State-machine syntax and semantics",
  description:
    "Machines written the old or the Rust way: interleaved `event X;` lines, `from`/`to`/`->` in transition heads, a dotted source state, bodies that print or return a string instead of a state, a self-transition without `reenter`, gaps or duplicates in the (state, event) table, guards that read head bindings, `step` on a `let`.",
  matchers: [
    {
      description: "a machine check",
      codes: [
        "MachineExhaustivenessError",
        "MachineExhaustivenessViolation",
        "MachineSelfTransitionNeedsReenter",
        "MachineEffectParityViolation",
        "MachineEmitCycle",
        "MachineEmitNotInManifest",
        "MachineEventFieldNotFound",
        "AwaitInMachineTransition",
        "GenBlockInMachineTransition",
      ],
    },
    { description: "the old `event X;` lines", codes: ["Other"], message: /interleaved `event` declarations|expected `events`, `emits`, `state`, `on`, or `default` in machine body/ },
    { description: "a dotted source state", codes: ["Other"], message: /machine transition source state .*leading `\.`/ },
    {
      description: "a transition head with `from`, `to` or `->`",
      codes: ["UnexpectedToken"],
      where: (d, source) => TRANSITION_HEAD.test(source.lineOf(d)) && source.lineOf(d).trim(),
    },
    {
      description: "a transition body that is not a state of the machine",
      codes: ["Mismatch"],
      message: /expected `(\w+)`, found/,
      where: (d, source) => {
        const machine = /expected `(\w+)`, found/.exec(d.message)![1]!;
        return source.declares("machine", machine) && `machine ${machine}`;
      },
    },
    { description: "a transition body that produces no state", codes: ["UnsupportedNode"], message: /transition .* did not produce a next-state value/ },
    {
      description: "a state used as a value, or a head binding read in a guard",
      codes: ["UndefinedVariable"],
      where: (d, source) => {
        const name = /undefined variable `(\w+)`/.exec(d.message)?.[1];
        if (name && source.declares("state", name)) return `state ${name}`;
        return TRANSITION_HEAD.test(source.lineOf(d)) && source.lineOf(d).trim();
      },
    },
    { description: "`step` on a `let` machine", codes: ["MutabilityError"], message: /`\.step\(\)` requires a mutable binding/ },
  ],
  rules: [
    {
      id: "machine-events",
      text: "Machines declare all events in one header: `machine Light { events { Tick; } state Red; state Green; on Tick: Red => .Green; on Tick: Green => .Red; }`. Transitions are `on Event: Source => Target`, with a colon and `=>`; no `event X;` lines, no `from`/`to`, no `->`, no dot on the source.",
      short: "Machines declare `events { T; }` and transitions `on T: A => .B;`.",
      reason: "v1 taught `event X;` lines, now `Other` \"interleaved `event` declarations are no longer supported\"; `from` and `->` are `UnexpectedToken`.",
    },
    {
      id: "machine-bodies",
      text: "A transition body must evaluate to a state of the machine (`on Coin: Locked => Unlocked { Turnstile.Unlocked { coins: self.coins + 1 } }`), reading the old state's fields as `self.f` and the event's as `event.f`; it must not print, return a string or await. A self-transition with a body needs `reenter` (`=> Unlocked reenter { ... }`), and a target state with fields needs a body (`=> Locked reenter { state }`).",
      reason: "Bodies returning strings or unit are `Mismatch` (\"expected `Lamp`, found `string`\"); a missing `reenter` is `MachineSelfTransitionNeedsReenter`; a body-less rule into a state with fields is `UndefinedVariable`.",
    },
    {
      id: "machine-driving",
      text: "Cover every (state, event) pair with a rule, an `on E: _ => _ { state }` rule or a final `default { state }`; guards read `event.f` or `self.f` (`when event.temp < 18`). Drive the machine from a `var`: `var l = Light.Red; l.step(.Tick); println(l.state_name());`, building payload events as `ThermostatEvent.Reading { temp: 15 }`.",
      reason: "Gaps are `MachineExhaustivenessError` (\"state `Running` does not handle event `Start`\"); `step` on a `let` is `MutabilityError`; a guard that uses a head binding is `UndefinedVariable`.",
    },
  ],
  templates,
} satisfies FailureCategory;
