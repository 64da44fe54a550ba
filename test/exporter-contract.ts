// The exporter's side of the bundle contract, as `python3 -m zone_export.contract_dump` prints it
// (infra/export/zone_export/contract_dump.py; the standard library alone, so the system python3
// serves). Used by the drift tests (test/export-contract.test.ts, test/export-bundle.test.ts).
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { TensorSpec } from "@zone/shared";
import { REPO_ROOT } from "./shared-data.ts";

export interface RoleTensors {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

export interface ExporterContract {
  roles: string[];
  optionalRoles: string[];
  dtypes: string[];
  fp16Roles: string[];
  textTokens: number;
  models: Record<string, RoleTensors>;
  samDecoderWithStatistics: RoleTensors;
  maskStatistics: {
    input: string;
    output: string;
    fields: string[];
    maskThreshold: number;
    stabilityOffset: number;
  };
  manifest: Record<string, unknown>;
  tokenizer: {
    dir: string;
    schedulerConfig: string;
    start: [string, number];
    end: [string, number];
    vocabSize: number;
  };
}

/** The contract at the tiny (fixture) or real sizes; null without a python3. */
export function exporterContract(dims: "tiny" | "real", python = "python3"): ExporterContract | null {
  const result = spawnSync(python, ["-m", "zone_export.contract_dump", "--dims", dims], {
    cwd: join(REPO_ROOT, "infra", "export"),
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: "1" },
    encoding: "utf8",
  });
  if (result.error) return null;
  if (result.status !== 0) throw new Error(`zone_export.contract_dump failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ExporterContract;
}
