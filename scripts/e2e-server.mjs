// Playwright's web server: a fresh sandbox data folder, then exactly what `npm start` runs, on 127.0.0.1 only.
import fs from "node:fs";
import path from "node:path";
import { start } from "./start.mjs";

fs.rmSync(path.resolve(process.env.DATA_DIR || ".e2e-data"), { recursive: true, force: true });
process.env.HOST = "127.0.0.1";
await start();
