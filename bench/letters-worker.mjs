// Starts a rendering thread of bench/letters.ts: a worker thread does not inherit tsx's loader.
import { fileURLToPath, URL } from "node:url";
import { register } from "tsx/esm/api";

register({ tsconfig: fileURLToPath(new URL("../tsconfig.json", import.meta.url)) });
await import("./letters-worker.ts");
