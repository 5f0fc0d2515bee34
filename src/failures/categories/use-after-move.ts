import type { FailureCategory } from "../category.js";
import templates from "../templates/use-after-move.js";

export default {
  id: "use-after-move",
  title: "Use after move",
  description:
    "A value whose ownership moved (a `#[resource]` or `#[linear]` value sent to an actor or closed, a channel handle sent away, a string inserted into a map) is used again, or a value that cannot cross an actor boundary is sent.",
  matchers: [
    { description: "a moved or consumed value used again", codes: ["UseAfterMove", "UseAfterConsume"] },
    { description: "a value that cannot be sent or captured as written", codes: ["InvalidSend", "ClosureExplicitMoveRequired", "MustConsume"] },
  ],
  rules: [
    {
      id: "send-ownership",
      text: "Sending strings, Vecs and records to an actor copies them, so no `.clone()` is needed; but `#[resource]`/`#[linear]` values and channel `Sender`/`Receiver` handles move with the send and must not be used afterwards. Inserting a computed string into a HashMap or HashSet consumes it too: insert `k.clone()` if you still need `k`.",
      short: "`m.insert(k, v)` consumes `k`: insert `k.clone()` to use `k` again.",
      reason: "Using a resource or channel handle after sending it is `UseAfterMove` (\"use of moved value `tx`\"); reading a string after `m.insert(k, ..)` is `UseAfterConsume`.",
    },
  ],
  templates,
} satisfies FailureCategory;
