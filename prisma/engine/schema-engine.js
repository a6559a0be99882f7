#!/usr/bin/env node
// Stand-in for Prisma's native schema engine, for machines that cannot download it
// (no route to Prisma's CDN). Prisma's CLI accepts any program named by
// PRISMA_SCHEMA_ENGINE_BINARY that speaks the engine's protocol; this one runs the same
// engine compiled to WebAssembly (@prisma/schema-engine-wasm) over @prisma/adapter-pg.
// prisma/engine/prisma.js decides when to use it. The CLI starts us in two ways:
//   schema-engine [--datamodels f]... [--datasource JSON] ...        line-delimited JSON-RPC on stdio
//   schema-engine --datasource JSON cli can-connect-to-database|create-database|drop-database
// and `schema-engine --version` for `prisma --version`.
import fs from "node:fs";
import readline from "node:readline";

// Dependencies are loaded dynamically, not with static imports: if one is missing, a static
// import kills us before we read stdin, and the CLI then exits 0 silently (an engine that dies
// at start leaves the CLI waiting on nothing). This way the failure is answered as an error.
let pg,
  parseConnectionString,
  PrismaPg,
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  bgUrl,
  wasmVersion;
async function loadDeps() {
  bgUrl = import.meta.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
  wasmVersion = JSON.parse(fs.readFileSync(new URL("package.json", bgUrl), "utf8")).version;
  const [pgModule, pgcs, adapterPg, utils] = await Promise.all([
    import("pg"),
    import("pg-connection-string"),
    import("@prisma/adapter-pg"),
    import("@prisma/driver-adapter-utils"),
  ]);
  pg = pgModule.default;
  parseConnectionString = pgcs.parse ?? pgcs.default.parse;
  ({ PrismaPg } = adapterPg);
  ({ bindMigrationAwareSqlAdapterFactory, ColumnTypeEnum } = utils);
}

// The CLI reads stderr as JSON log lines: `fields.message` of level ERROR becomes the error it
// prints, and for `cli` sub-commands it skips the first line and wants `fields.error_code`.
const log = (level, message, extra = {}) =>
  process.stderr.write(
    JSON.stringify({
      timestamp: new Date().toISOString(),
      level,
      fields: { message, ...extra },
      target: "schema_engine::logger",
    }) + "\n",
  );

function parseArgs(argv) {
  const out = { datamodels: [], datasource: {}, rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--datamodels") out.datamodels.push(argv[++i]);
    else if (a === "--datasource") out.datasource = JSON.parse(argv[++i]);
    else if (a === "--enabled-preview-features" || a === "--extension-types")
      i++; // no wasm equivalent
    else out.rest.push(a);
  }
  return out;
}

// Discrete host/port/user/password/database fields, never `connectionString`: adapter-pg 7.10
// builds the shadow database pool as {...config, database}, and pg lets a connectionString win
// over `database`, so the "shadow" pool would silently be the main database.
const NO_URL =
  "No datasource URL: set datasource.url in prisma.config.ts (e.g. from DATABASE_URL).";
function pgConfig(url) {
  if (!url) throw new Error(NO_URL);
  const c = parseConnectionString(url);
  // `?schema=` (Prisma's URL convention) must also become the search_path, as with the native
  // engine: adapter-pg only reports it to the engine, and unqualified DDL would land in public.
  const searchPath = c.schema ? `-c search_path=${quoteIdent(c.schema)}` : undefined;
  const options = [c.options, searchPath].filter(Boolean).join(" ") || undefined;
  const fields = {
    host: c.host,
    port: c.port && Number(c.port),
    user: c.user,
    password: c.password,
    database: c.database,
    ssl: c.ssl,
    application_name: c.application_name,
    options,
  };
  return {
    config: Object.fromEntries(Object.entries(fields).filter(([, v]) => v != null && v !== "")),
    schema: c.schema ?? undefined,
  };
}

// adapter-pg 7.10 throws UnsupportedNativeDataType for Postgres's internal "char" type (OID 18),
// which the engine's pg_catalog queries return (contype, relkind, ...). Let adapter-pg see it as
// text (OID 25) and hand the column to the engine as Character: the engine reads these columns
// as a char (contype read as Text panics: "Getting constraint_type ... as char failed").
function patchCharType(adapter) {
  let proto = Object.getPrototypeOf(adapter);
  while (proto && !Object.hasOwn(proto, "queryRaw")) proto = Object.getPrototypeOf(proto);
  if (!proto || proto.__standInCharPatch) return; // shared by PrismaPgAdapter and PgTransaction
  const { queryRaw, performIO } = proto;
  proto.queryRaw = async function (query) {
    const charColumns = [];
    const self = Object.create(this, {
      performIO: {
        value: async (q) => {
          const result = await performIO.call(this, q);
          result?.fields?.forEach((f, i) => {
            if (f.dataTypeID === 18) {
              f.dataTypeID = 25;
              charColumns.push(i);
            }
          });
          return result;
        },
      },
    });
    const resultSet = await queryRaw.call(self, query);
    for (const i of charColumns) resultSet.columnTypes[i] = ColumnTypeEnum.Character;
    return resultSet;
  };
  proto.__standInCharPatch = true;
}

const liveShadowDbs = new Map(); // name -> drop(), so a crash can still clean up
const quoteIdent = (name) => `"${String(name).replaceAll('"', '""')}"`;

// Migration-aware adapter factory around PrismaPg that fixes the shadow-database handling.
class PgFactory {
  provider = "postgres";
  adapterName = "@prisma/adapter-pg";
  constructor(datasource) {
    this.datasource = datasource;
    this.main = datasource.url ? pgConfig(datasource.url) : null;
  }
  async connect() {
    // The wasm engine connects and probes the server version at start-up, but e.g. `migrate diff
    // --from-empty --to-schema` needs no database. Without a URL, answer only that probe (as a
    // PostgreSQL 16) and fail every other query with a clear message.
    if (!this.main) {
      const fail = async () => {
        throw new Error(NO_URL);
      };
      const queryRaw = async (q) => {
        if (!/server_version_num/.test(q.sql)) return fail();
        const { Boolean, Text, Int32 } = ColumnTypeEnum;
        return {
          columnNames: ["exists", "version", "numeric_version"],
          columnTypes: [Boolean, Text, Int32],
          rows: [[true, "PostgreSQL 16.0 (no database: datasource.url not set)", 160000]],
        };
      };
      return {
        provider: "postgres",
        adapterName: this.adapterName,
        queryRaw,
        executeRaw: fail,
        executeScript: fail,
        startTransaction: fail,
        getConnectionInfo: () => ({ supportsRelationJoins: true }),
        dispose: async () => {},
      };
    }
    return this.connectTo(this.main);
  }
  async connectTo({ config, schema }) {
    const adapter = await new PrismaPg(config, { schema }).connect();
    patchCharType(adapter);
    // adapter-pg runs a script by splitting it on ";", which breaks dollar-quoted function
    // bodies (plpgsql triggers) and applies half a migration when a later statement fails.
    // Like the native engine, send the whole script as one simple query: all or nothing.
    adapter.executeScript = async function (script) {
      try {
        await this.underlyingDriver().query(script);
      } catch (error) {
        this.onError(error);
      }
    };
    return adapter;
  }
  async connectToShadowDb() {
    if (this.datasource.shadowDatabaseUrl)
      return this.connectTo(pgConfig(this.datasource.shadowDatabaseUrl));
    const admin = await this.connect();
    const name = `prisma_migrate_shadow_db_${globalThis.crypto.randomUUID()}`;
    await admin.executeScript(`CREATE DATABASE ${quoteIdent(name)}`);
    const shadow = await this.connectTo({
      ...this.main,
      config: { ...this.main.config, database: name },
    });
    // adapter-pg drops the shadow database while its own pool still holds connections, which
    // fails ("being accessed by other users"). Close the pool first, then drop.
    const closePool = shadow.dispose.bind(shadow);
    const drop = async () => {
      liveShadowDbs.delete(name);
      try {
        await closePool();
        await admin.executeScript(`DROP DATABASE IF EXISTS ${quoteIdent(name)}`);
      } catch (e) {
        log("WARN", `Could not drop shadow database ${name}: ${e?.message ?? e}`);
        throw e;
      } finally {
        await admin.dispose();
      }
    };
    liveShadowDbs.set(name, drop);
    shadow.dispose = drop;
    return shadow;
  }
}

// ---- `schema-engine cli <command>`, and createDatabase: plain pg, errors with Prisma's codes. ----
async function databaseCommand(url, command) {
  const { config } = pgConfig(url);
  const where = `${config.host ?? "localhost"}:${config.port ?? 5432}`;
  const withClient = async (cfg, fn) => {
    const client = new pg.Client(cfg);
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  };
  const admin = (fn) =>
    withClient({ ...config, database: "postgres" }, fn).catch((e) =>
      e.code === "3D000" ? withClient({ ...config, database: "template1" }, fn) : Promise.reject(e),
    );
  try {
    if (command === "can-connect-to-database") await withClient(config, (c) => c.query("SELECT 1"));
    else if (command === "create-database")
      await admin((c) => c.query(`CREATE DATABASE ${quoteIdent(config.database)}`));
    else if (command === "drop-database")
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${quoteIdent(config.database)}`));
    else throw new Error(`Unknown cli command: ${command}`);
    return config.database;
  } catch (e) {
    const codes = {
      "3D000": [
        "P1003",
        `Database \`${config.database}\` does not exist on the database server at \`${where}\`.`,
      ],
      "28P01": [
        "P1000",
        `Authentication failed against database server at \`${where}\`, the provided database credentials for \`${config.user}\` are not valid.`,
      ],
      "42P04": [
        "P1009",
        `Database \`${config.database}\` already exists on the database server at \`${where}\``,
      ],
    };
    const net = ["ECONNREFUSED", "ENOTFOUND", "ETIMEDOUT", "EHOSTUNREACH"].includes(e.code)
      ? ["P1001", `Can't reach database server at \`${where}\``]
      : null;
    const [errorCode, message] = codes[e.code] ?? net ?? [undefined, e.message];
    throw Object.assign(new Error(message), { errorCode });
  }
}

async function runCliCommand(datasource, command) {
  log("INFO", `Starting schema engine stand-in CLI (wasm ${wasmVersion})`); // first line: skipped by the CLI
  try {
    await databaseCommand(datasource.url, command);
    return 0;
  } catch (e) {
    log("ERROR", e.message, e.errorCode ? { error_code: e.errorCode } : {});
    return 1;
  }
}

// ---- JSON-RPC mode ----
async function loadEngine(args) {
  await loadDeps();
  // The package's entry point uses an ESM wasm import, which Node 20 cannot load without a flag;
  // instantiate the wasm ourselves with the generated bindings as its import object.
  globalThis.PRISMA_WASM_PANIC_REGISTRY = {
    set_message: (m) => {
      lastPanic = m;
    },
  };
  const bg = await import(bgUrl);
  const { instance } = await WebAssembly.instantiate(
    fs.readFileSync(new URL("schema_engine_bg.wasm", bgUrl)),
    { "./schema_engine_bg.js": bg },
  );
  bg.__wbg_set_wasm(instance.exports);
  instance.exports.__wbindgen_start();
  const datamodels = args.datamodels.map((f) => [f, fs.readFileSync(f, "utf8")]);
  const debug = process.env.DEBUG ? (m) => log("DEBUG", String(m)) : () => {};
  adapterFactory = bindMigrationAwareSqlAdapterFactory(new PgFactory(args.datasource));
  return bg.SchemaEngine.new(
    { datamodels: datamodels.length ? datamodels : undefined },
    debug,
    adapterFactory,
  );
}

let lastPanic = null;
let adapterFactory = null;
let inFlight = null; // id of the request being served, to answer it if the wasm engine crashes
const send = (msg) => process.stdout.write(JSON.stringify(msg) + "\n");
const pendingToCli = new Map();
let nextOutgoingId = 1;
// For `migrate diff` the native engine hands the SQL to the CLI as a `print` request.
const printViaCli = (content) =>
  new Promise((resolve) => {
    const id = `stand-in-print-${nextOutgoingId++}`;
    pendingToCli.set(id, resolve);
    send({ jsonrpc: "2.0", id, method: "print", params: { content } });
  });

// Errors must carry data.message: the CLI shows it (with error_code, if any) and exits non-zero.
function toRpcError(e) {
  // Errors thrown by JS inside the adapter reach us as "External error id#N": look the original up.
  const external = (m) =>
    m.replace(
      /External error id#(\d+)/g,
      (all, id) => adapterFactory?.errorRegistry.consumeError(Number(id))?.error?.message ?? all,
    );
  // Panics are reported as plain errors: with is_panic the CLI would start its bug-report flow.
  const panic =
    lastPanic || e instanceof WebAssembly.RuntimeError
      ? `Schema engine (wasm stand-in) panicked: ${lastPanic ?? e.message}`
      : null;
  const data = { is_panic: false, message: panic ?? external(String(e?.message ?? e)), meta: {} };
  if (e?.errorCode) data.error_code = e.errorCode;
  return { code: 4466, message: "An error happened. Check the data field for details.", data };
}

async function serveJsonRpc(argv) {
  // Never exit before answering: if we died at start-up the CLI would wait on a request nobody
  // answers and `migrate dev` would exit 0 with no output. Start-up failures are returned as
  // the error of every request instead, and we exit 1 once the CLI closes stdin.
  let args;
  const enginePromise = (async () => loadEngine((args = parseArgs(argv))))();
  enginePromise.catch((e) =>
    log("ERROR", `Schema engine stand-in failed to start: ${toRpcError(e).data.message}`),
  );
  // The wasm engine computes "schema of the migration history" through the adapter's shadow
  // database only in some commands (devDiagnostic, ...) and caches it; evaluateDataLoss and
  // createMigration only read that cache and otherwise fail with "PostgreSQL shadow DB must be
  // provided through an external factory" (seen: fresh database + existing migrations +
  // `migrate dev`). On that error, let devDiagnostic fill the cache and retry once.
  const warmCacheAndRetry = (method) => async (engine, p) => {
    try {
      return await engine[method](p);
    } catch (e) {
      if (!/shadow DB must be provided through an external factory/.test(e?.message)) throw e;
      await engine.devDiagnostic({ migrationsList: p.migrationsList, filters: p.filters });
      return engine[method](p);
    }
  };
  const methods = {
    evaluateDataLoss: warmCacheAndRetry("evaluateDataLoss"),
    createMigration: warmCacheAndRetry("createMigration"),
    getDatabaseVersion: (engine, p) => engine.version(p ?? null),
    createDatabase: async () => ({
      databaseName: await databaseCommand(args.datasource.url, "create-database"),
    }),
    diff: async (engine, p) => {
      const result = await engine.diff(p);
      if (result.stdout) await printViaCli(result.stdout.replace(/\n$/, ""));
      return { exitCode: result.exitCode, stdout: null };
    },
  };
  let queue = Promise.resolve();
  const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  rl.on("line", (line) => {
    if (!line.trim()) return;
    let msg;
    try {
      msg = JSON.parse(line);
    } catch {
      return log("ERROR", `Unparseable JSON-RPC line: ${line.slice(0, 200)}`);
    }
    if (msg.method === undefined) {
      // a response to one of our own requests (print)
      pendingToCli.get(msg.id)?.(msg.result);
      return pendingToCli.delete(msg.id);
    }
    queue = queue.then(async () => {
      // one request at a time, in order, like the native engine
      inFlight = msg.id;
      try {
        const engine = await enginePromise.catch((e) => {
          throw new Error(`Schema engine stand-in failed to start: ${toRpcError(e).data.message}`);
        });
        const fn =
          methods[msg.method] ??
          ((en, p) => {
            if (typeof en[msg.method] !== "function")
              throw new Error(`Method not supported by the wasm stand-in: ${msg.method}`);
            return en[msg.method](p);
          });
        const result = await fn(engine, msg.params);
        send({ jsonrpc: "2.0", id: msg.id, result: result ?? {} });
      } catch (e) {
        const error = toRpcError(e);
        log("ERROR", error.data.message);
        send({ jsonrpc: "2.0", id: msg.id, error });
      }
      inFlight = null;
    });
  });
  rl.on("close", async () => {
    await queue;
    const startFailed = await enginePromise.then(
      () => false,
      () => true,
    );
    process.exit(startFailed || lastPanic ? 1 : 0);
  });
}

// A wasm panic can surface as an uncaught RuntimeError from inside a driver-adapter callback
// rather than as a rejected promise. Answer the request in flight with the panic message and
// exit 1, so the CLI reports it instead of waiting for an answer that never comes.
process.on("uncaughtException", (e) => {
  const error = toRpcError(e);
  log("ERROR", error.data.message);
  if (inFlight !== null) send({ jsonrpc: "2.0", id: inFlight, error });
  const cleanup = Promise.allSettled([...liveShadowDbs.values()].map((drop) => drop()));
  Promise.race([cleanup, new Promise((r) => setTimeout(r, 5000))]).finally(() => process.exit(1));
});

async function main() {
  const argv = process.argv.slice(2);
  if (!argv.includes("cli") && !argv.includes("--version") && !argv.includes("-V"))
    return serveJsonRpc(argv);
  const args = parseArgs(argv);
  await loadDeps();
  if (args.rest.includes("--version") || args.rest.includes("-V")) {
    process.stdout.write(
      `schema-engine-cli ${wasmVersion.split(".").pop()} (wasm stand-in, @prisma/schema-engine-wasm ${wasmVersion})\n`,
    );
    return;
  }
  process.exit(await runCliCommand(args.datasource, args.rest[1]));
}

main().catch((e) => {
  if (process.argv.includes("cli")) log("INFO", "Schema engine stand-in CLI"); // the CLI skips line 1
  log("ERROR", `Schema engine stand-in: ${e?.message ?? e}`);
  process.exit(1);
});
