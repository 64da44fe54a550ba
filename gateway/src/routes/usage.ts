// The caller's account: GET /v1/usage?from=&to= (totals, credits spent and the balance) and
// GET /v1/usage/edits?from=&to=&limit=&cursor= (the ledger, one entry per edit with its cost,
// oldest first, paged; `format=csv` or `Accept: text/csv` gives the same rows as CSV).
import { USAGE_CSV_COLUMNS, type Usage, type UsageEntry, ZoneError } from "@zone/shared";
import { Hono } from "hono";
import { accountBalance } from "../billing/credit-hold.ts";
import { type LedgerEntryRow, ledgerEntries, usage } from "../db/queries.ts";
import type { AppEnv } from "../env.ts";
import { CSV_MAX_ROWS, PAGE_DEFAULT, PAGE_MAX } from "./usage-paging.ts";

export const usageRoutes = new Hono<AppEnv>();

const DEFAULT_PERIOD_MS = 30 * 86_400_000;

function instant(value: string | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new ZoneError("invalid_argument", `${name} must be an ISO 8601 date or time`);
  return t;
}

function period(query: (name: string) => string | undefined): { from: number; to: number } {
  const now = Date.now();
  const from = instant(query("from"), now - DEFAULT_PERIOD_MS, "from");
  const to = instant(query("to"), now + 1, "to");
  if (to <= from) throw new ZoneError("invalid_argument", "`to` must be after `from`");
  return { from, to };
}

function whole(value: string | undefined, name: string, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n > max)
    throw new ZoneError("invalid_argument", `${name} must be a whole number up to ${max}`);
  return n;
}

usageRoutes.get("/", async (c) => {
  const { from, to } = period((name) => c.req.query(name));
  const { accountId } = c.get("caller");
  const [totals, credits] = await Promise.all([
    usage(c.env.DB, accountId, from, to),
    accountBalance(c.env, accountId).state(Date.now()),
  ]);
  const answer: Usage = {
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    billedEdits: totals.billed,
    cacheHits: totals.hits,
    totalRequests: totals.total,
    creditsSpent: totals.units,
    balance: credits.balance,
    held: credits.held,
    testEditsToday: credits.testEditsToday,
    testEditsPerDay: credits.testEditsPerDay,
  };
  return c.json(answer);
});

/** A ledger entry as the API shows it. */
function usageEntry(row: LedgerEntryRow): UsageEntry {
  return {
    editId: row.edit_id,
    keyId: row.key_id,
    createdAt: new Date(row.created_at).toISOString(),
    kind: row.kind,
    operation: row.operation,
    credits: row.units,
  };
}

/** RFC 4180: fields with a comma, quote or line break are quoted, quotes doubled. */
function csvField(value: string | number | null): string {
  const text = value === null ? "" : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function usageCsv(entries: UsageEntry[]): string {
  const lines = [
    USAGE_CSV_COLUMNS.join(","),
    ...entries.map((e) => USAGE_CSV_COLUMNS.map((k) => csvField(e[k])).join(",")),
  ];
  return `${lines.join("\r\n")}\r\n`;
}

usageRoutes.get("/edits", async (c) => {
  const { from, to } = period((name) => c.req.query(name));
  const format = c.req.query("format");
  if (format !== undefined && format !== "csv" && format !== "json")
    throw new ZoneError("invalid_argument", "format must be json or csv");
  const csv =
    format === "csv" || (format === undefined && (c.req.header("accept") ?? "").includes("text/csv"));
  // CSV is the period in one answer (a spreadsheet export, up to CSV_MAX_ROWS); JSON is paged.
  const limit = csv ? CSV_MAX_ROWS : whole(c.req.query("limit"), "limit", PAGE_DEFAULT, PAGE_MAX);
  const afterSeq = whole(c.req.query("cursor"), "cursor", 0, Number.MAX_SAFE_INTEGER);
  const rows = await ledgerEntries(c.env.DB, c.get("caller").accountId, {
    from,
    to,
    afterSeq,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const entries = page.map(usageEntry);
  if (csv && rows.length > limit)
    throw new ZoneError(
      "invalid_argument",
      `the period has more than ${CSV_MAX_ROWS} entries; export it in shorter parts (from, to)`,
    );
  if (csv)
    return c.body(usageCsv(entries), 200, {
      "content-type": "text/csv; charset=utf-8",
      "content-disposition": `attachment; filename="usage-${new Date(from).toISOString().slice(0, 10)}-${new Date(to).toISOString().slice(0, 10)}.csv"`,
    });
  const last = page.at(-1);
  return c.json({
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    edits: entries,
    nextCursor: rows.length > limit && last !== undefined ? String(last.seq) : null,
  });
});
