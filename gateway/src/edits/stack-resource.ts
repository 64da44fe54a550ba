// The public view of a chain (GET /v1/edits/{id}/stack, shared public-chain-api.ts): the original
// upload (its size and link) and every turn in order with its instruction, action, changed box,
// result file and its links (as the edit resource's).
import { type EditStack, editStackSchema } from "@zone/shared";
import type { ChainTurn } from "./edit-chain.ts";
import { editLinks } from "./edit-resource.ts";

export function editStack(id: string, chain: ChainTurn[], baseUrl: string): EditStack {
  const edits = `${baseUrl}/v1/edits`;
  return editStackSchema.parse({
    id,
    original: { ...chain[0].meta.original, link: `${edits}/${id}/original` },
    turns: chain.map((turn, i) => {
      const self = `${edits}/${turn.id}`;
      return {
        ...turn.meta,
        turn: i + 1,
        id: turn.id,
        createdAt: new Date(turn.createdAt).toISOString(),
        links: editLinks(self),
      };
    }),
  });
}
