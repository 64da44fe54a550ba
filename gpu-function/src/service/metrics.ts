// Prometheus metrics of the GPU service (prom-client), on a registry of its own so several
// services in one process (tests) never share counters. Label values are bounded: route
// patterns, status codes, stage names, model roles.
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import type { DropReason } from "./edit-queue.ts";

const SECONDS_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 8, 13, 21, 34, 55, 89, 144];

export class ServiceMetrics {
  readonly registry = new Registry();
  readonly requests = new Counter({
    name: "zone_http_requests_total",
    help: "HTTP requests answered, by route pattern, method and status",
    labelNames: ["route", "method", "status"] as const,
    registers: [this.registry],
  });
  readonly editDuration = new Histogram({
    name: "zone_edit_duration_seconds",
    help: "Edits from arrival to response, waiting included, by outcome",
    labelNames: ["outcome"] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly stageDuration = new Histogram({
    name: "zone_edit_stage_duration_seconds",
    help: "Time per pipeline stage of successful edits (queue = waiting for a free GPU slot)",
    labelNames: ["stage"] as const,
    buckets: SECONDS_BUCKETS,
    registers: [this.registry],
  });
  readonly queueDepth = new Gauge({
    name: "zone_edit_queue_depth",
    help: "Edits waiting for a free slot",
    registers: [this.registry],
  });
  readonly running = new Gauge({
    name: "zone_edits_running",
    help: "Edits running now",
    registers: [this.registry],
  });
  readonly dropped = new Counter({
    name: "zone_edits_dropped_total",
    help: "Edits refused or cut short: queue_full, client_closed, deadline, shutdown",
    labelNames: ["reason"] as const,
    registers: [this.registry],
  });
  readonly modelLoad = new Gauge({
    name: "zone_model_load_seconds",
    help: "Seconds to create each model's session at cold start, by role, provider and source",
    labelNames: ["role", "provider", "source"] as const,
    registers: [this.registry],
  });
  readonly coldStart = new Gauge({
    name: "zone_cold_start_seconds",
    help: "Seconds of each cold-start phase: verify, load, warmup, total",
    labelNames: ["phase"] as const,
    registers: [this.registry],
  });
  readonly ready = new Gauge({
    name: "zone_ready",
    help: "1 once models are loaded and the warm-up edit is done, 0 before and while shutting down",
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry, prefix: "zone_" });
    this.ready.set(0);
    this.queueDepth.set(0);
    this.running.set(0);
  }

  depth({ queued, running }: { queued: number; running: number }): void {
    this.queueDepth.set(queued);
    this.running.set(running);
  }

  drop(reason: DropReason): void {
    this.dropped.inc({ reason });
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}
