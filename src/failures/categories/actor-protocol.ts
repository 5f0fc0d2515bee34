import type { FailureCategory } from "../category.js";
import templates from "../templates/actor-protocol.js";

export default {
  id: "actor-protocol",
  title: "Actor messaging mistakes",
  description:
    "Actors driven the Rust or Erlang way: `.ask(..)`, a request-reply handler called without `await`, `await` inside an expression (`println(await c.get())`, `if await ..`), `self.` inside handlers, blocking calls in a `receive fn`.",
  matchers: [
    { description: "an ask without `await`", codes: ["InvalidOperation"], message: /actor ask `[^`]+` requires `await`/ },
    { description: "an invented method on an actor handle", codes: ["UndefinedMethod"], message: /on `(LocalPid|RemotePid|LambdaPid)</ },
    { description: "an awaited reply used as a plain value", codes: ["Mismatch", "BoundsNotSatisfied"], message: /AskError/ },
    { description: "`self.` in an actor body", message: /`self` is not used in Hew actor bodies/ },
    {
      description: "an `await`, `select` or `join` Hew cannot place there",
      codes: [
        "AwaitOutOfPosition",
        "AwaitNonTask",
        "SelectArmNotSealedForm",
        "SelectArmTypeMismatch",
        "SelectMultipleAfterArms",
        "SelectNoArms",
        "JoinBranchNotActorAsk",
        "JoinNoBranches",
        "BlockingCallInReceiveFn",
        "OpaqueMessagePayload",
        "MissingActorSpawnArgument",
        "InvalidActorSpawnArgument",
      ],
    },
  ],
  rules: [
    {
      id: "actor-handlers",
      text: "Write actors as `actor Counter { var n: i64 = 0; receive fn add(k: i64) { n += k; } receive fn get() -> i64 { n } }`: handlers use fields by bare name (no `self.`), a handler without a return type is fire-and-forget (`c.add(1);`), and spawning takes named field arguments, `spawn Counter(n: 5)`, or just `spawn Counter` when every field has a default.",
      short: "Actor handlers use fields without `self.`; spawn with names: `spawn C(n: 5)`.",
      reason: "`self.n` is `UndefinedVariable` (\"`self` is not used in Hew actor bodies ...\"); positional spawn args like `spawn Counter(0)` are parse errors.",
    },
    {
      id: "actor-request-reply",
      text: "A handler with a return type is request-reply and must always be awaited, even when the reply is not needed: match the `Result<T, AskError>`, e.g. `match await c.get() { .Ok(v) => println(v), .Err(_) => println(\"no reply\") }`. There is no `ask` keyword and no `.ask()` method.",
      short: "Await handlers that return: `match await c.get() { .Ok(v) => .., .Err(_) => .. }`; no `ask`.",
      reason: "v1 taught `ask`; now `pid.ask(..)` is `UndefinedMethod` and a call without `await` is `InvalidOperation` \"actor ask `Counter.get` requires `await`\".",
    },
    {
      id: "await-position",
      text: "Use `await` only as a statement, a `let` initializer (`let r = await c.get();`) or a `match` scrutinee, never inside `println(...)`, an `if` condition or arithmetic. Fan out with `let (a, b) = join { x.m(1), y.m(2) };` (plain values) and time out with `select { v from x.m() => ..., after 200ms => ... }` or, inside an actor handler only, `let r = await x.m() | after 200ms;`.",
      short: "`await` only as a statement, a `let` value or a `match` subject, never inside `println(...)`.",
      reason: "`println(await c.total())` is `BoundsNotSatisfied` (the Result is not Display); `if await` is `Mismatch`; `| after` from main is MIR `NotYetImplemented`.",
    },
  ],
  templates,
} satisfies FailureCategory;
