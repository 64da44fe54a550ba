// Command-line parsing on node:util parseArgs (strict), with its errors turned into one-line
// usage errors, plus small validators for enumerated options.
import { type ParseArgsConfig, parseArgs } from "node:util";
import { EXECUTION_PROVIDERS, type ExecutionProvider, parseProviderList } from "../runtime/onnx-runtime.ts";
import { CliUsageError } from "./io.ts";

export function parseCommandLine<T extends NonNullable<ParseArgsConfig["options"]>>(
  command: string,
  args: string[],
  options: T,
  allowPositionals = false,
) {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals });
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new CliUsageError(`${command}: ${message} (see zone ${command} --help)`);
  }
}

export function oneOf<T extends string>(
  command: string,
  flag: string,
  value: string | undefined,
  allowed: ReadonlyArray<T>,
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((allowed as ReadonlyArray<string>).includes(value)) return value as T;
  throw new CliUsageError(`${command}: ${flag} must be one of ${allowed.join(", ")}, got "${value}"`);
}

export function required(command: string, flag: string, value: string | undefined): string {
  if (value === undefined || value === "") throw new CliUsageError(`${command}: ${flag} is required`);
  return value;
}

/** --providers a,b,c: execution providers in order of preference (default cpu). */
export function parseProviders(command: string, value: string | undefined): ExecutionProvider[] {
  if (value === undefined) return ["cpu"];
  const list = parseProviderList(value);
  if (list !== null) return list;
  const wrong = value
    .split(",")
    .find((p) => parseProviderList(p) === null)
    ?.trim();
  throw new CliUsageError(`${command}: --providers takes ${EXECUTION_PROVIDERS.join(", ")}, got "${wrong}"`);
}
