import { USAGE_CSV_COLUMNS } from "@zone/shared";
import { describe, expect, it } from "vitest";
import { usageCsv } from "./usage.ts";

describe("usageCsv", () => {
  it("writes the schema's columns in order, CRLF lines, RFC 4180 quoting", () => {
    expect(USAGE_CSV_COLUMNS).toEqual(["editId", "keyId", "createdAt", "kind", "operation", "credits"]);
    const csv = usageCsv([
      {
        editId: "ed_a",
        keyId: 'key_"x",y',
        createdAt: "2026-12-01T00:00:00.000Z",
        kind: "billed",
        operation: "edit",
        credits: 10,
      },
      {
        editId: "ed_b",
        keyId: "key_1",
        createdAt: "2026-12-01T00:00:01.000Z",
        kind: "cache_hit",
        operation: null,
        credits: 0,
      },
    ]);
    expect(csv).toBe(
      'editId,keyId,createdAt,kind,operation,credits\r\ned_a,"key_""x"",y",2026-12-01T00:00:00.000Z,billed,edit,10\r\ned_b,key_1,2026-12-01T00:00:01.000Z,cache_hit,,0\r\n',
    );
  });
});
