// The Server-Timing header of one answer: this request's own spans. The gateway's spans (cache
// lookup, coordinator, total; the D1 write on a MISS, a free answer's row is written after it)
// always; the GPU function's stage timings only on the request that made the GPU call (a MISS),
// prefixed `gpu-`. A HIT or COALESCED answer did not wait for those stages, so it does not
// repeat them (they stay in the resource's timingsMs).

export interface TimingSpan {
  name: string;
  durMs?: number;
  desc?: string;
}

const NOT_TOKEN = /[^A-Za-z0-9!#$%&'*+.^_`|~-]/g;

function span({ name, durMs, desc }: TimingSpan): string {
  let text = name.replace(NOT_TOKEN, "_");
  if (desc !== undefined) text += `;desc="${desc.replace(/["\\]/g, "\\$&")}"`;
  if (durMs !== undefined) text += `;dur=${Math.round(durMs * 10) / 10}`;
  return text;
}

export function serverTimingHeader(spans: TimingSpan[]): string {
  return spans.map(span).join(", ");
}

/** The GPU function's per-stage milliseconds as spans named gpu-<stage>. */
export function gpuStageSpans(timingsMs: Record<string, number>): TimingSpan[] {
  return Object.entries(timingsMs).map(([stage, durMs]) => ({ name: `gpu-${stage}`, durMs }));
}
