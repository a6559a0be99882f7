// Starts a rendering thread of bench/letters.ts: a worker thread does not inherit tsx's loader.
import { register } from "tsx/esm/api";

register({ tsconfig: new URL("../tsconfig.json", import.meta.url).pathname });
await import("./letters-worker.ts");
