// The Server-Timing header (W3C Server Timing), one builder for both services. Names are HTTP
// tokens (other characters become "_"), durations in milliseconds to 0.01, non-finite ones left
// out. The gateway answers with its own spans plus, on the request that made the GPU call, the GPU
// function's stages prefixed `gpu-`; the GPU function answers with its stages.

export interface TimingSpan {
  name: string;
  durMs?: number;
  desc?: string;
}

const NOT_TOKEN = /[^A-Za-z0-9!#$%&'*+.^_`|~-]/g;

function span({ name, durMs, desc }: TimingSpan): string {
  let text = name.replace(NOT_TOKEN, "_");
  if (desc !== undefined) text += `;desc="${desc.replace(/["\\]/g, "\\$&")}"`;
  if (durMs !== undefined && Number.isFinite(durMs)) text += `;dur=${Math.round(durMs * 100) / 100}`;
  return text;
}

export function serverTimingHeader(spans: ReadonlyArray<TimingSpan>): string {
  return spans.map(span).join(", ");
}

/** Per-stage milliseconds as spans named `${prefix}${stage}`; non-finite ones are left out. */
export function stageSpans(timingsMs: Record<string, number>, prefix = ""): TimingSpan[] {
  return Object.entries(timingsMs)
    .filter(([, durMs]) => Number.isFinite(durMs))
    .map(([stage, durMs]) => ({ name: `${prefix}${stage}`, durMs }));
}
