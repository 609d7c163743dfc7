// Dyno's results in Allure 3's own terms, for the opt-in Allure 3 report (docs/allure.md, "Allure 3 (opt in)").
//
// Allure 3 reads performance metrics from any "*-perf.json" in the results folder: a JSON array of samples
// {id, key, value, start, stop} with optional title, unit, group and better. It shows them in the report's
// Metrics widget, and its quality gate rules metricMax and metricMin compare a key's value with a limit.
// Dyno writes its results to target/dyno-results (schema dyno-result/2 and dyno-growth/1); this module turns
// them into such samples, and each threshold and growth bound into a metricMax or metricMin rule.
//
//   node dyno-allure3.mjs metrics <dyno-results> <allure-results>   writes <allure-results>/dyno-perf.json
//   node dyno-allure3.mjs strip-analytics <report>/index.html       removes the report's Google Analytics tag
//
// Only node's own modules: the Allure config imports this file, and Allure runs from npx's cache, where
// nothing else resolves.
import { readdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const NANOS_PER_UNIT = { ns: 1, us: 1e3, "µs": 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const BYTES_POWER = { B: 0, KB: 1, KiB: 1, MB: 2, MiB: 2, GB: 3, GiB: 3 };
// Dyno's threshold form, as dev.dyno.assertions.Threshold parses it: <metric> [<statistic>] <comparator> <value>.
const THRESHOLD = /^\s*([A-Za-z0-9_.:/\-]+)(?:\s+([A-Za-z0-9_.()]+))?\s*(<=|>=|==|!=|<|>)\s*(\S+)\s*$/;
const MILLIS_PER_NANO = 1e-6;

function readJson(file) {
  return JSON.parse(readFileSync(file, "utf8"));
}

function jsonFiles(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((name) => name.endsWith(".json")).map((name) => join(dir, name)) : [];
}

/** The name a sample carries in the report: class and method, and the invocation of a parameterized test. */
function testTitle(result) {
  const simpleClass = result.class.slice(result.class.lastIndexOf(".") + 1);
  const invocation = result.testId.includes("[test-template-invocation:") ? ` [${result.displayName}]` : "";
  return `${simpleClass}.${result.method}${invocation}`;
}

/**
 * A threshold's limit in the unit its actual value is written in (nanoseconds for a duration, bytes for a size),
 * and the unit and scale the report shows it in; undefined for a form this file does not know.
 */
function thresholdLimit(expression) {
  const form = THRESHOLD.exec(expression);
  if (!form) {
    return undefined;
  }
  const [, metric, statistic = "", comparator, valueText] = form;
  const duration = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)$/.exec(valueText);
  const bytes = /^(\d+(?:\.\d+)?)(B|KB|MB|GB|KiB|MiB|GiB)$/.exec(valueText);
  const number = /^(-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?)(%?)$/.exec(valueText);
  let limit;
  let scale = 1;
  let unit = "";
  if (duration) {
    limit = Number(duration[1]) * NANOS_PER_UNIT[duration[2]];
    scale = MILLIS_PER_NANO;
    unit = "ms";
  } else if (bytes) {
    limit = Number(bytes[1]) * 1024 ** BYTES_POWER[bytes[2]];
    unit = "B";
  } else if (number) {
    limit = number[2] ? Number(number[1]) / 100 : Number(number[1]);
  } else {
    return undefined;
  }
  return { metric, statistic, comparator, limit, scale, unit };
}

/** The rule for a comparator: Allure's metricMax holds for value <= limit, metricMin for value >= limit. */
function ruleFor(comparator) {
  return { "<": "metricMax", "<=": "metricMax", ">": "metricMin", ">=": "metricMin" }[comparator];
}

function sample(id, key, value, start, stop, { unit, ...details }) {
  // A plain number (a count, a slope) has no unit: left out, the report writes none.
  return { id, key, value, start, stop, ...details, ...(unit ? { unit } : {}) };
}

/**
 * Everything Dyno measured, as Allure 3 metric samples and the quality gate rules its thresholds make.
 *
 * @param dynoResultsDir Dyno's results folder (target/dyno-results)
 * @param allureResultsDir the Allure results folder, to give each sample the id of its Allure test result
 */
export function dynoMetrics(dynoResultsDir, allureResultsDir) {
  const allureIds = new Map();
  for (const file of jsonFiles(allureResultsDir ?? "").filter((f) => f.endsWith("-result.json"))) {
    const result = readJson(file);
    const uniqueId = result.labels?.find((label) => label.name === "junit.platform.uniqueid")?.value;
    if (uniqueId) {
      allureIds.set(uniqueId, result.uuid);
    }
  }
  const samples = [];
  const rules = [];
  for (const file of jsonFiles(dynoResultsDir)) {
    const result = readJson(file);
    if (result.schema !== "dyno-result/2") {
      continue;
    }
    const id = allureIds.get(result.testId) ?? result.testId;
    const title = testTitle(result);
    const group = `${result.class.slice(result.class.lastIndexOf(".") + 1)}.${result.method}`;
    const start = Date.parse(result.startedAt);
    const stop = start + Math.round(result.durationNanos * MILLIS_PER_NANO);
    const add = (name, value, unit, better) =>
      samples.push(sample(id, `${title} ${name}`, value, start, stop, { title: `${title} ${name}`, unit, group, better }));
    for (const [name, timer] of Object.entries(result.metrics?.timers ?? {})) {
      if (timer.count > 0) {
        add(`${name} p50`, timer.p50 * MILLIS_PER_NANO, "ms", "lower");
        add(`${name} p99`, timer.p99 * MILLIS_PER_NANO, "ms", "lower");
      }
    }
    // A counter or gauge has no better direction Dyno knows of: the report shows their change without judging it.
    for (const [name, count] of Object.entries(result.metrics?.counters ?? {})) {
      add(name, count, "");
    }
    for (const [name, gauge] of Object.entries(result.metrics?.gauges ?? {})) {
      if (Number.isFinite(gauge.value)) {
        add(name, gauge.value, "");
      }
    }
    for (const threshold of result.thresholds ?? []) {
      const parsed = thresholdLimit(threshold.expression);
      const rule = parsed && ruleFor(parsed.comparator);
      // A threshold with no value (nothing recorded) has no sample; Dyno failed its test, which maxFailures counts.
      if (!parsed || !Number.isFinite(threshold.actualValue)) {
        continue;
      }
      const name = `threshold ${threshold.expression}`;
      add(name, threshold.actualValue * parsed.scale, parsed.unit, rule === "metricMin" ? "higher" : "lower");
      if (rule) {
        rules.push({ id: `${title} ${threshold.expression}`, [rule]: { key: `${title} ${name}`, value: parsed.limit * parsed.scale } });
      }
    }
  }
  for (const file of jsonFiles(join(dynoResultsDir, "growth"))) {
    const growth = readJson(file);
    if (growth.schema !== "dyno-growth/1" || !Number.isFinite(growth.slope)) {
      continue;
    }
    const title = `${testTitle({ ...growth, displayName: "" })} growth of ${growth.metric} ${growth.statistic} with ${growth.size}`;
    const key = `${title} slope`;
    const group = `${growth.class.slice(growth.class.lastIndexOf(".") + 1)}.${growth.method}`;
    const now = Date.now();
    samples.push(sample(allureIds.get(growth.testId) ?? growth.testId, key, growth.slope, now, now, { title: key, unit: "", group, better: "lower" }));
    if (Number.isFinite(growth.minSlope)) {
      rules.push({ id: `${title} min`, metricMin: { key, value: growth.minSlope } });
    }
    if (Number.isFinite(growth.maxSlope)) {
      rules.push({ id: `${title} max`, metricMax: { key, value: growth.maxSlope } });
    }
  }
  return { samples, rules };
}

/** Removes the report's Google Analytics tag; fails when the page still names googletagmanager afterwards. */
export function stripAnalytics(indexHtml) {
  const html = readFileSync(indexHtml, "utf8");
  const stripped = html
    .replace(/<script async src="https:\/\/www\.googletagmanager\.com\/gtag\/js\?id=[^"]*"><\/script>\s*/g, "")
    .replace(/<script>\s*window\.dataLayer = window\.dataLayer \|\| \[\];[\s\S]*?<\/script>\s*/g, "");
  if (/googletagmanager|gtag\(/.test(stripped)) {
    throw new Error(`${indexHtml} still loads Google Analytics: the tag's form changed, update stripAnalytics`);
  }
  writeFileSync(indexHtml, stripped);
  return html.length - stripped.length;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [command, ...args] = process.argv.slice(2);
  if (command === "metrics" && args.length === 2) {
    const { samples, rules } = dynoMetrics(args[0], args[1]);
    writeFileSync(join(args[1], "dyno-perf.json"), JSON.stringify(samples, null, 2));
    console.log(`Dyno: ${samples.length} metric samples to ${join(args[1], "dyno-perf.json")}, ${rules.length} quality gate rules from thresholds`);
  } else if (command === "strip-analytics" && args.length === 1) {
    const removed = stripAnalytics(args[0]);
    console.log(`Dyno: removed the Google Analytics tag (${removed} characters) from ${args[0]}`);
  } else {
    console.error("usage: node dyno-allure3.mjs metrics <dyno-results> <allure-results> | strip-analytics <index.html>");
    process.exit(2);
  }
}
