import { test } from "node:test";
import assert from "node:assert/strict";
import { loadConfig, DEFAULT_CONFIG, ConfigError } from "./config.ts";

test("defaults, environment, then flags", () => {
  assert.deepEqual(loadConfig({}, []), DEFAULT_CONFIG);
  const c = loadConfig({ PORT: "9000", TURN_SECONDS: "15" }, ["--port", "9100", "--log-level=warn"]);
  assert.equal(c.port, 9100);
  assert.equal(c.turnSeconds, 15);
  assert.equal(c.logLevel, "warn");
});

test("bad values are refused with the variable's name and the value", () => {
  assert.throws(() => loadConfig({ PORT: "eighty" }), (e: Error) => e instanceof ConfigError && /PORT.*0 to 65535.*"eighty"/.test(e.message));
  assert.throws(() => loadConfig({ RECONNECT_GRACE_SECONDS: "-1" }), /RECONNECT_GRACE_SECONDS/);
  assert.throws(() => loadConfig({ SESSION_SECRET: "short" }), /SESSION_SECRET.*16/);
  assert.throws(() => loadConfig({ LOG_LEVEL: "loud" }), /LOG_LEVEL/);
  assert.throws(() => loadConfig({}, ["--nope", "1"]), /Unknown option --nope/);
  assert.throws(() => loadConfig({}, ["--port"]), /needs a value/);
  assert.throws(() => loadConfig({ RATE_PER_SECOND: "50", RATE_BURST: "10" }), /RATE_BURST/);
});

test("several nodes (REDIS_URL) keep records only in a shared PostgreSQL", () => {
  const cluster = { REDIS_URL: "redis://127.0.0.1:6379", SESSION_SECRET: "0123456789abcdef" };
  assert.throws(() => loadConfig(cluster), (e: Error) => e instanceof ConfigError && /DATABASE_URL/.test(e.message) && /RECORDS=off/.test(e.message));
  assert.equal(loadConfig({ ...cluster, RECORDS: "off" }).records, "off");
  assert.equal(loadConfig({ ...cluster, DATABASE_URL: "postgres://db.example/bigtwo" }).databaseUrl, "postgres://db.example/bigtwo");
  assert.throws(() => loadConfig({ DATABASE_URL: "mysql://x" }), /DATABASE_URL/);
});

test("proxies, origins and the metrics port are checked at start", () => {
  const c = loadConfig({ TRUST_PROXY: "127.0.0.1, 10.0.0.0/8,fd00::/8", ALLOWED_ORIGINS: "https://bigtwo.example/,http://localhost:5173" });
  assert.deepEqual(c.trustProxy, ["127.0.0.1", "10.0.0.0/8", "fd00::/8"]);
  assert.deepEqual(c.allowedOrigins, ["https://bigtwo.example", "http://localhost:5173"]);
  assert.throws(() => loadConfig({ TRUST_PROXY: "10.0.0.0/33" }), /TRUST_PROXY.*"10.0.0.0\/33"/);
  assert.throws(() => loadConfig({ TRUST_PROXY: "proxy.example" }), /TRUST_PROXY/);
  assert.throws(() => loadConfig({ ALLOWED_ORIGINS: "ftp://x.example" }), /ALLOWED_ORIGINS/);
  assert.throws(() => loadConfig({ PORT: "9000", METRICS_PORT: "9000" }), /METRICS_PORT.*differ/);
});
