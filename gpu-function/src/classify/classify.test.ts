import { type EditAction, ZoneError } from "@zone/shared";
import { describe, expect, it, vi } from "vitest";
import { classifyAction, isAction } from "./classify.ts";

describe("classifyAction", () => {
  it("uses the lexicon when there is no override and no model", async () => {
    await expect(classifyAction("remove the dog")).resolves.toEqual({
      action: "remove",
      source: "lexicon",
      cue: "remove:remove",
    });
    await expect(classifyAction("give him glasses", {})).resolves.toEqual({
      action: "add",
      source: "lexicon",
      cue: "add:give",
    });
  });

  it("omits the cue when the lexicon defaulted to change", async () => {
    const result = await classifyAction("the dog should be a wolf");
    expect(result).toEqual({ action: "change", source: "lexicon" });
    expect("cue" in result).toBe(false);
  });

  it("asks the model when one is given, with the instruction as written", async () => {
    const model = vi.fn(async (_: string): Promise<EditAction> => "add");
    await expect(classifyAction("Remove the horse", { model })).resolves.toEqual({
      action: "add",
      source: "model",
    });
    expect(model).toHaveBeenCalledExactlyOnceWith("Remove the horse");
  });

  it("lets an override win over both the model and the lexicon", async () => {
    const model = vi.fn(async (): Promise<EditAction> => "add");
    await expect(classifyAction("remove the dog", { override: "change", model })).resolves.toEqual({
      action: "change",
      source: "override",
    });
    expect(model).not.toHaveBeenCalled();
  });

  it("rejects an unknown override with invalid_argument", async () => {
    const error = await classifyAction("remove the dog", { override: "recolour" as EditAction }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ZoneError);
    expect(error).toMatchObject({ code: "invalid_argument", status: 400 });
    expect((error as Error).message).toMatch(/change, add, remove/);
  });

  it("rejects an empty instruction with invalid_argument", async () => {
    await expect(classifyAction("   ")).rejects.toMatchObject({ code: "invalid_argument" });
  });

  it("reports a model that answers something other than an action as internal", async () => {
    const model = async () => "blend" as EditAction;
    await expect(classifyAction("make the sky blue", { model })).rejects.toMatchObject({
      name: "ZoneError",
      code: "internal",
    });
  });

  it("propagates a model's own failure", async () => {
    const model = async (): Promise<EditAction> => {
      throw new Error("weights missing");
    };
    await expect(classifyAction("make the sky blue", { model })).rejects.toThrow("weights missing");
  });

  it("recognises exactly the three actions", () => {
    expect(["change", "add", "remove"].every(isAction)).toBe(true);
    expect([undefined, null, 1, "", "Change", "delete"].some(isAction)).toBe(false);
  });
});
