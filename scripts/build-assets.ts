// The Worker's static assets made at build time into gateway/public/build/ (ignored by git):
// Swagger UI's bundle and stylesheet copied from the swagger-ui-dist package (so /docs/ needs no
// CDN), and the embedded demo scene of `zone demo` as a PNG for the playground's one-click run.
// wrangler runs it before every bundle ([build] in wrangler.toml: `wrangler deploy`, and the
// local stack's `wrangler deploy --dry-run`).
import { copyFileSync, mkdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, resolve } from "node:path";
import sharp from "sharp";
import { syntheticScene } from "../gpu-function/src/demo/synthetic-scene.ts";

const ROOT = resolve(import.meta.dirname, "..");
export const ASSET_BUILD_DIR = join(ROOT, "gateway", "public", "build");
const SWAGGER_FILES = ["swagger-ui-bundle.js", "swagger-ui.css"];

const swaggerDir = dirname(
  createRequire(join(ROOT, "gateway", "package.json")).resolve("swagger-ui-dist/package.json"),
);
mkdirSync(join(ASSET_BUILD_DIR, "swagger-ui"), { recursive: true });
for (const name of SWAGGER_FILES)
  copyFileSync(join(swaggerDir, name), join(ASSET_BUILD_DIR, "swagger-ui", name));

const { image } = syntheticScene();
await sharp(Buffer.from(image.data), { raw: { width: image.width, height: image.height, channels: 3 } })
  .png()
  .toFile(join(ASSET_BUILD_DIR, "demo-scene.png"));
