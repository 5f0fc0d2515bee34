// `npm run bench [-- name...]`: runs the benchmarks and prints their figures.
import { formatFigure, type Figure } from "./figure.js";
import { benchHook } from "./hook.js";
import { benchValidate } from "./validate.js";
import { benchDedup } from "./dedup.js";
import { benchCorpus100k } from "./corpus-100k.js";
import { benchTrainFigures } from "./train.js";
import { benchSynth } from "./synth.js";
import { benchTrainRealFigures } from "./train-real.js";

const benches: Record<string, () => Promise<Figure[]>> = {
  validate: benchValidate,
  dedup: benchDedup,
  "corpus-100k": benchCorpus100k,
  hook: benchHook,
  train: benchTrainFigures,
  synth: benchSynth,
  "train-real": benchTrainRealFigures,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in benches));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(", ")}; known: ${Object.keys(benches).join(", ")}`);
  process.exit(2);
}
for (const name of wanted.length > 0 ? wanted : Object.keys(benches)) {
  console.log(`# ${name}`);
  for (const figure of await benches[name]!()) console.log(formatFigure(figure));
}
