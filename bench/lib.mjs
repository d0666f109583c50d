// Small helpers shared by the harness scripts.

export function median(values) {
  const v = values.filter((x) => typeof x === 'number' && !Number.isNaN(x)).sort((a, b) => a - b);
  if (!v.length) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

/** Stable identity of a report, used as the key of bench/triage.json. */
export function reportKey(r) {
  return `${r.file}:${r.line}:${r.column} ${r.rule} ${r.messageId ?? '-'}`;
}

function compare(a, b) {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule) || String(a.messageId).localeCompare(String(b.messageId)) || a.message.localeCompare(b.message);
}

/** Sorts reports and gives each a unique key (a second report with the same key gets `#2`, ...). */
export function withKeys(reports) {
  const seen = new Map();
  return [...reports].sort(compare).map((r) => {
    const base = reportKey(r);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return { key: n === 1 ? base : `${base} #${n}`, ...r };
  });
}

/** Compares two keyed report lists on key and message. */
export function compareReports(expected, actual) {
  const sig = (r) => `${r.key}\u0000${r.message}`;
  const e = new Set(expected.map(sig));
  const a = new Set(actual.map(sig));
  const missing = [...e].filter((x) => !a.has(x)).map((x) => x.replace('\u0000', ' — '));
  const extra = [...a].filter((x) => !e.has(x)).map((x) => x.replace('\u0000', ' — '));
  return { identical: missing.length === 0 && extra.length === 0 && expected.length === actual.length, expected: expected.length, actual: actual.length, missing: missing.slice(0, 20), extra: extra.slice(0, 20) };
}
