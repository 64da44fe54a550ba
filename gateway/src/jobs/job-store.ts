// A coordinator's jobs and their events, in its Durable Object's SQLite storage (on disk under
// .wrangler/ locally, so they survive a restart of the local stack). Synchronous calls: each one
// runs inside the object's input gate, so a read-then-write here cannot interleave with another
// request. Times are Unix milliseconds.
import {
  type CancelReason,
  JOB_STATES,
  type JobEvent,
  type JobEventRecord,
  type JobProgress,
  type JobState,
  type ProblemDetails,
} from "@zone/shared";

export interface JobHold {
  id: string;
  operation: string;
  units: number;
}

/** What a job is, as submitted. */
export interface JobSpec {
  jobId: string;
  accountId: string;
  keyId: string;
  /** A chain turn's parent edit (edits/edit-chain.ts), written on the job's edit row. */
  parentId: string | null;
  /** The credit hold taken at submission (billing/credit-hold.ts). */
  hold: JobHold;
  /** Cancel-After: when the job is canceled if not finished. */
  deadlineAt: number | null;
  /** When the job is failed if still not finished (the longest an edit may take). */
  watchdogAt: number;
  createdAt: number;
  /** Origin of the links in the job's webhook payloads (the submitting request's public origin). */
  baseUrl: string;
}

export interface JobRecord {
  id: string;
  accountId: string;
  keyId: string;
  cacheKey: string;
  status: JobState;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
  deadlineAt: number | null;
  watchdogAt: number;
  cache: "HIT" | "MISS" | "COALESCED" | null;
  progress: JobProgress | null;
  error: ProblemDetails | null;
  canceledBy: CancelReason | null;
  hold: JobHold;
  baseUrl: string;
  parentId: string | null;
}

type JobRow = {
  id: string;
  account_id: string;
  key_id: string;
  cache_key: string;
  status: JobState;
  created_at: number;
  started_at: number | null;
  finished_at: number | null;
  deadline_at: number | null;
  watchdog_at: number;
  cache: JobRecord["cache"];
  progress: string | null;
  error: string | null;
  canceled_by: CancelReason | null;
  hold_id: string;
  operation: string;
  units: number;
  base_url: string;
  parent_id: string | null;
};

const fromRow = (row: JobRow): JobRecord => ({
  id: row.id,
  accountId: row.account_id,
  keyId: row.key_id,
  cacheKey: row.cache_key,
  status: row.status,
  createdAt: row.created_at,
  startedAt: row.started_at,
  finishedAt: row.finished_at,
  deadlineAt: row.deadline_at,
  watchdogAt: row.watchdog_at,
  cache: row.cache,
  progress: row.progress === null ? null : (JSON.parse(row.progress) as JobProgress),
  error: row.error === null ? null : (JSON.parse(row.error) as ProblemDetails),
  canceledBy: row.canceled_by,
  hold: { id: row.hold_id, operation: row.operation, units: row.units },
  baseUrl: row.base_url,
  parentId: row.parent_id,
});

const STATE_LIST = JOB_STATES.map((s) => `'${s}'`).join(", ");

export class JobStore {
  private readonly sql: SqlStorage;

  constructor(sql: SqlStorage) {
    this.sql = sql;
    sql.exec(`
      CREATE TABLE IF NOT EXISTS jobs (
        id TEXT PRIMARY KEY, account_id TEXT NOT NULL, key_id TEXT NOT NULL, cache_key TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN (${STATE_LIST})),
        created_at INTEGER NOT NULL, started_at INTEGER, finished_at INTEGER,
        deadline_at INTEGER, watchdog_at INTEGER NOT NULL, cache TEXT, progress TEXT, error TEXT,
        canceled_by TEXT, hold_id TEXT NOT NULL, operation TEXT NOT NULL, units INTEGER NOT NULL,
        base_url TEXT NOT NULL, parent_id TEXT);
      CREATE INDEX IF NOT EXISTS jobs_open ON jobs (status);
      CREATE TABLE IF NOT EXISTS job_events (
        job_id TEXT NOT NULL, seq INTEGER NOT NULL, event TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (job_id, seq));
    `);
    // Objects whose jobs table predates chains (issue 17) get the column.
    const columns = sql.exec("SELECT name FROM pragma_table_info('jobs')").toArray();
    if (!columns.some((c) => c.name === "parent_id")) sql.exec("ALTER TABLE jobs ADD COLUMN parent_id TEXT");
  }

  insert(spec: JobSpec, cacheKey: string): JobRecord {
    this.sql.exec(
      "INSERT INTO jobs (id, account_id, key_id, cache_key, status, created_at, deadline_at, watchdog_at, hold_id, operation, units, base_url, parent_id) VALUES (?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?, ?, ?, ?)",
      spec.jobId,
      spec.accountId,
      spec.keyId,
      cacheKey,
      spec.createdAt,
      spec.deadlineAt,
      spec.watchdogAt,
      spec.hold.id,
      spec.hold.operation,
      spec.hold.units,
      spec.baseUrl,
      spec.parentId,
    );
    return this.get(spec.jobId) as JobRecord;
  }

  get(id: string): JobRecord | null {
    const row = this.sql.exec<JobRow>("SELECT * FROM jobs WHERE id = ?", id).toArray()[0];
    return row === undefined ? null : fromRow(row);
  }

  /** Jobs not yet succeeded, failed or canceled. */
  open(): JobRecord[] {
    return this.sql
      .exec<JobRow>("SELECT * FROM jobs WHERE status IN ('queued', 'running') ORDER BY created_at")
      .toArray()
      .map((row) => fromRow(row));
  }

  /** Moves an open job to `running` (once), recording when it started. */
  markRunning(id: string, now: number): boolean {
    return (
      this.sql.exec(
        "UPDATE jobs SET status = 'running', started_at = ? WHERE id = ? AND status = 'queued'",
        now,
        id,
      ).rowsWritten > 0
    );
  }

  setProgress(id: string, progress: JobProgress): void {
    this.sql.exec(
      "UPDATE jobs SET progress = ? WHERE id = ? AND status IN ('queued', 'running')",
      JSON.stringify(progress),
      id,
    );
  }

  /**
   * Ends an open job; false (and nothing written) when it had ended already, so every ending
   * happens once however many alarms, cancels and results race for it.
   */
  finish(
    id: string,
    end: {
      status: "succeeded" | "failed" | "canceled";
      now: number;
      cache?: JobRecord["cache"];
      error?: ProblemDetails;
      canceledBy?: CancelReason;
    },
  ): boolean {
    return (
      this.sql.exec(
        "UPDATE jobs SET status = ?, finished_at = ?, cache = ?, error = ?, canceled_by = ? WHERE id = ? AND status IN ('queued', 'running')",
        end.status,
        end.now,
        end.cache ?? null,
        end.error === undefined ? null : JSON.stringify(end.error),
        end.canceledBy ?? null,
        id,
      ).rowsWritten > 0
    );
  }

  /** Appends an event to a job's stream; its sequence number (1, 2, ...). */
  appendEvent(id: string, event: JobEvent, data: unknown): number {
    const next = this.sql
      .exec<{ n: number }>("SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM job_events WHERE job_id = ?", id)
      .one().n;
    this.sql.exec(
      "INSERT INTO job_events (job_id, seq, event, data) VALUES (?, ?, ?, ?)",
      id,
      next,
      event,
      JSON.stringify(data),
    );
    return next;
  }

  eventsAfter(id: string, seq: number): JobEventRecord[] {
    return this.sql
      .exec<{ seq: number; event: JobEvent; data: string }>(
        "SELECT seq, event, data FROM job_events WHERE job_id = ? AND seq > ? ORDER BY seq",
        id,
        seq,
      )
      .toArray()
      .map((row) => ({ seq: row.seq, event: row.event, data: JSON.parse(row.data) }));
  }

  /** The earliest deadline or watchdog of an open job, or null when none is open. */
  nextDue(): number | null {
    return this.sql
      .exec<{ t: number | null }>(
        "SELECT MIN(MIN(COALESCE(deadline_at, watchdog_at), watchdog_at)) AS t FROM jobs WHERE status IN ('queued', 'running')",
      )
      .one().t;
  }
}
