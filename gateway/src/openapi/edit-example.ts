// A realistic edit answer (as a MISS on the fixture bundle gives it), the document's example of the
// Edit schema; openapi.test.ts checks it parses as editResourceSchema.
import { type EditResource, PIPELINE_VERSION } from "@zone/shared";
import { editLinks } from "../edits/edit-resource.ts";

const ID = "ed_AQAAAAAAAAB3aGl0ZS1jYXQtZXhhbXBsZS1pZC1mb3ItdGhlLWRvY3MtYW5kLWNsaWVudC10ZXN0cw";
const SELF = `https://api.example.com/v1/edits/${ID}`;

export const EDIT_EXAMPLE: EditResource = {
  id: ID,
  status: "succeeded",
  createdAt: "2026-04-20T09:30:12.418Z",
  instruction: "make the cat black",
  action: "change",
  actionSource: "lexicon",
  seed: 0,
  steps: 20,
  mode: "default",
  bundleId: "zone-sd15-ip2p-2026.04",
  pipelineVersion: PIPELINE_VERSION,
  changedPixels: 28416,
  changedBox: { x0: 112, y0: 40, x1: 301, y1: 262 },
  timingsMs: { decode: 4.1, segment: 212.5, denoise: 1480.2, fuse: 31.7, encode: 18.9, total: 1795.6 },
  result: {
    format: "png",
    quality: null,
    metadata: "strip",
    depth: 8,
    alpha: false,
    icc: false,
    maskSize: "working",
  },
  cache: "MISS",
  cached: false,
  links: editLinks(SELF),
};
