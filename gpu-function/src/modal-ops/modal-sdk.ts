// ModalControl on the `modal` JS SDK (0.x): apps.fromName + App.info for the app,
// functions.fromName + getCurrentStats / getWebUrl / updateAutoscaler for the web function.
// Credentials come from MODAL_TOKEN_ID / MODAL_TOKEN_SECRET or ~/.modal.toml, as for the Modal CLI.
// The SDK is imported on first use, so commands that never reach Modal do not load it.
import type { ModalClient } from "modal";
import type { AutoscalerSettings, ModalControl, ModalTarget } from "./modal-control.ts";

export function modalSdkControl(): ModalControl {
  let client: ModalClient | null = null;
  const connect = async () => {
    if (client === null) {
      const { ModalClient } = await import("modal");
      client = new ModalClient();
    }
    return client;
  };
  const fn = async (target: ModalTarget) =>
    (await connect()).functions.fromName(target.app, target.function, { environment: target.environment });

  return {
    async appStatus(target) {
      const app = await (await connect()).apps.fromName(target.app, { environment: target.environment });
      const info = await app.info({ refresh: true });
      return {
        appId: app.appId,
        state: info.lifecycle.state,
        version: info.lifecycle.version ?? null,
        deployedAt: info.lifecycle.deployedAt ?? null,
        functions: [...Object.keys(info.functions), ...Object.keys(info.servers)],
      };
    },
    async functionStatus(target) {
      const handle = await fn(target);
      const stats = await handle.getCurrentStats();
      return {
        functionId: handle.functionId,
        backlog: stats.backlog,
        runners: stats.numTotalRunners,
        webUrl: (await handle.getWebUrl()) ?? null,
      };
    },
    async updateAutoscaler(target, settings: AutoscalerSettings) {
      const handle = await fn(target);
      const now = await handle.updateAutoscaler({
        minContainers: settings.minContainers,
        maxContainers: settings.maxContainers,
        bufferContainers: settings.bufferContainers,
        scaledownWindowMs:
          settings.scaledownWindowSeconds === undefined ? undefined : settings.scaledownWindowSeconds * 1000,
      });
      return {
        minContainers: now.minContainers,
        maxContainers: now.maxContainers,
        bufferContainers: now.bufferContainers,
        scaledownWindowSeconds:
          now.scaledownWindowMs === undefined ? undefined : now.scaledownWindowMs / 1000,
      };
    },
    close() {
      client?.close();
    },
  };
}
