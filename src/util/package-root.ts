import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";

/** The installed package's root (where `corpus/` and `package.json` live), from src/ or dist/ alike. */
export const PACKAGE_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
