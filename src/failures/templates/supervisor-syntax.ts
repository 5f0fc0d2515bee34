import type { CorrectionTemplate } from "./template.js";

const supervisorDeclaration: CorrectionTemplate = {
  id: "supervisor-declaration",
  category: "supervisors",
  description: "Declare supervisors with `strategy:`, `intensity: N within d` and one `child` line per child: no `children: [..]`, `restart_policy:` or `max_restarts:`.",
  render(pick) {
    const sup = pick.one(["Crew", "Pool", "Team", "Tree"]);
    const worker = pick.one(["Worker", "Fetcher", "Indexer", "Poller"]);
    const strategy = pick.one(["one_for_one", "one_for_all", "rest_for_one"]);
    const restarts = pick.int(1, 10);
    const window = pick.one(["10s", "30s", "60s", "5m"]);
    const [first, second] = pick.some(["a", "b", "main", "backup", "left", "right"], 2);
    const start = pick.int(0, 100);
    const request = pick.one([
      `Write a Hew supervisor ${sup} with strategy ${strategy} that allows ${restarts} restarts within ${window} and supervises two ${worker} actors, \`${first}\` and \`${second}\` (the second transient, starting its counter at ${start}); make ${first} do one unit of work, then stop the supervisor.`,
      `Supervise two ${worker} children named ${first} and ${second} in Hew (${strategy}, at most ${restarts} restarts per ${window}); ${second} should restart only after a crash and start at ${start}.`,
    ]);
    const actor = `actor ${worker} {\n    var n: i64 = 0;\n    receive fn work() {\n        n += 1;\n        println(f"${worker.toLowerCase()} did {n}");\n    }\n}\n\n`;
    const main = `fn main() {\n    let s = spawn ${sup};\n    let w = s.${first};\n    w.work();\n    supervisor_stop(s);\n}\n`;
    const children = `    child ${first}: ${worker};\n    child ${second}: ${worker}(n: ${start}) restart: transient;\n`;
    const correct = `${actor}supervisor ${sup} {\n    strategy: ${strategy};\n    intensity: ${restarts} within ${window};\n${children}}\n\n${main}`;
    const wrong = pick.one([
      `${actor}supervisor ${sup} {\n    strategy: ${strategy};\n    intensity: ${restarts} within ${window};\n    children: [${worker}, ${worker}];\n}\n\n${main}`,
      `${actor}supervisor ${sup} {\n    strategy: ${strategy};\n    max_restarts: ${restarts};\n${children}}\n\n${main}`,
      `${actor}supervisor ${sup} {\n    strategy: ${strategy};\n    intensity: ${restarts} within ${window};\n    child ${first}: ${worker} restart_policy: permanent;\n    child ${second}: ${worker}(n: ${start}) restart: transient;\n}\n\n${main}`,
    ]);
    return { request, correct, wrong };
  },
};

export default [supervisorDeclaration];
