// Structured logs of the GPU service: one JSON object per line on stderr (what Modal and most log
// collectors index). Callers pass facts as fields; image bytes and secrets never go in.
export type LogLevel = "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export function jsonLogger(write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const emit = (level: LogLevel, message: string, fields: LogFields = {}) =>
    write(`${JSON.stringify({ time: new Date().toISOString(), level, msg: message, ...fields })}\n`);
  return {
    info: (message, fields) => emit("info", message, fields),
    warn: (message, fields) => emit("warn", message, fields),
    error: (message, fields) => emit("error", message, fields),
  };
}

/** Collects entries in memory (tests), or drops them. */
export function memoryLogger(): Logger & {
  entries: Array<{ level: LogLevel; message: string } & LogFields>;
} {
  const entries: Array<{ level: LogLevel; message: string } & LogFields> = [];
  return {
    entries,
    info: (message, fields) => entries.push({ level: "info", message, ...fields }),
    warn: (message, fields) => entries.push({ level: "warn", message, ...fields }),
    error: (message, fields) => entries.push({ level: "error", message, ...fields }),
  };
}
