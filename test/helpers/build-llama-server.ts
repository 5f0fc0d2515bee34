/** `npx tsx test/helpers/build-llama-server.ts`: build (or find cached) the llama-server the eval's integration test uses. */
import { buildLlamaServerForTests } from "./llama-server.js";

const build = await buildLlamaServerForTests();
process.stdout.write(`${build.path}${build.built ? " (built)" : " (cached)"}\n`);
