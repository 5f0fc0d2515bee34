import { writeTrainingFixture } from "../test/train/training-fixtures.js";
const dir = process.argv[2]!;
await writeTrainingFixture(dir, { epochs: 2, lora: { rank: 8, alpha: 16, dropout: 0 }, learningRate: 1e-2 });
