// The narrow view of Modal that `npm run modal` needs: read a deployed app and its web function,
// change the function's autoscaler. The real one (modal-sdk.ts) wraps the `modal` JS SDK; tests
// use a fake.

/** Where the deployment lives; defaults match infra/modal/app.py. */
export interface ModalTarget {
  app: string;
  function: string;
  environment: string | undefined;
}

export const MODAL_TARGET_DEFAULTS: Readonly<ModalTarget> = {
  app: "zone-edit-gpu",
  function: "serve",
  environment: undefined,
};

export interface ModalAppStatus {
  appId: string;
  /** "deployed", "stopped", ... */
  state: string;
  version: number | null;
  deployedAt: Date | null;
  functions: string[];
}

export interface ModalFunctionStatus {
  functionId: string;
  /** Inputs waiting for a container. */
  backlog: number;
  /** Containers running now. */
  runners: number;
  webUrl: string | null;
}

export interface AutoscalerSettings {
  minContainers?: number;
  maxContainers?: number;
  bufferContainers?: number;
  scaledownWindowSeconds?: number;
}

export interface ModalControl {
  appStatus(target: ModalTarget): Promise<ModalAppStatus>;
  functionStatus(target: ModalTarget): Promise<ModalFunctionStatus>;
  /** Overrides the deployed autoscaler until the next `modal deploy`; returns what is now in force. */
  updateAutoscaler(target: ModalTarget, settings: AutoscalerSettings): Promise<AutoscalerSettings>;
  close(): void;
}
