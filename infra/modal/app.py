"""Modal app for the ZONE Edit GPU function.

The container is infra/gpu/Dockerfile (Modal builds it; Python is added for Modal's own runtime).
The Node service (`zone serve`) runs as a Modal web server behind Modal's proxy auth: callers
(the gateway) send a proxy auth token as Modal-Key / Modal-Secret, and the service itself checks
`Authorization: Bearer <GPU_SHARED_SECRET>`. Model bundles and their TensorRT engines live on a
Modal Volume mounted at /models; the bundle served is /models/<ZONE_MODAL_BUNDLE>.

Deploy-time settings come from the environment of `modal deploy`:

  ZONE_MODAL_APP              app name                                   (zone-edit-gpu)
  ZONE_MODAL_GPU              GPU type, e.g. H100, "H100!" (no upgrade to H200), A100-80GB, L40S (H100)
  ZONE_MODAL_VOLUME           Volume with the bundles                    (zone-models)
  ZONE_MODAL_BUNDLE           bundle folder inside the Volume            (current)
  ZONE_MODAL_SECRET           Secret holding GPU_SHARED_SECRET           (zone-gpu-shared-secret)
  ZONE_MODAL_MIN_CONTAINERS   containers kept warm                       (0)
  ZONE_MODAL_MAX_CONTAINERS   upper bound                                (4)
  ZONE_MODAL_BUFFER_CONTAINERS  idle extra containers while busy         (0)
  ZONE_MODAL_SCALEDOWN_WINDOW seconds an idle container stays up         (300)
  ZONE_MODAL_MAX_INPUTS       requests one container accepts at once     (9)
  ZONE_MODAL_TARGET_INPUTS    requests per container the autoscaler aims for (2)
  ZONE_MODAL_STARTUP_TIMEOUT  seconds for the cold load and warm-up      (900)

  modal deploy infra/modal/app.py

This file cannot be deployed from the development machine (no Modal account, no internet); it is
kept correct against Modal's documented API and checked by test/infra.test.ts, which runs it
against a stand-in `modal` module.
"""

import os
import subprocess
from pathlib import Path

import modal

REPO_ROOT = Path(__file__).resolve().parents[2]


def _env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "")
    if value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if number < 0:
        raise ValueError(f"{name} must not be negative, got {number}")
    return number


APP_NAME = os.environ.get("ZONE_MODAL_APP", "zone-edit-gpu")
GPU = os.environ.get("ZONE_MODAL_GPU", "H100")
VOLUME_NAME = os.environ.get("ZONE_MODAL_VOLUME", "zone-models")
BUNDLE = os.environ.get("ZONE_MODAL_BUNDLE", "current")
SECRET_NAME = os.environ.get("ZONE_MODAL_SECRET", "zone-gpu-shared-secret")
MIN_CONTAINERS = _env_int("ZONE_MODAL_MIN_CONTAINERS", 0)
MAX_CONTAINERS = _env_int("ZONE_MODAL_MAX_CONTAINERS", 4)
BUFFER_CONTAINERS = _env_int("ZONE_MODAL_BUFFER_CONTAINERS", 0)
SCALEDOWN_WINDOW = _env_int("ZONE_MODAL_SCALEDOWN_WINDOW", 300)
MAX_INPUTS = max(1, _env_int("ZONE_MODAL_MAX_INPUTS", 9))
TARGET_INPUTS = min(MAX_INPUTS, max(1, _env_int("ZONE_MODAL_TARGET_INPUTS", 2)))
STARTUP_TIMEOUT = _env_int("ZONE_MODAL_STARTUP_TIMEOUT", 900)

PORT = 8080
MODELS_MOUNT = "/models"

# What `zone serve` reads (README, "The GPU service"). One edit at a time per GPU; the service
# queues the rest of what Modal routes to it (MAX_INPUTS in all). It opens its port only once the
# models are loaded and warmed up, so Modal's startup wait covers the cold load and no request
# reaches a cold container. Passed as a Secret because the container does not see the
# environment of `modal deploy`.
SERVICE_ENV = {
    "NODE_ENV": "production",
    "HOST": "0.0.0.0",
    "PORT": str(PORT),
    "MODELS_DIR": f"{MODELS_MOUNT}/{BUNDLE}",
    "ZONE_PROVIDERS": "cuda,cpu",
    "ZONE_CONCURRENCY": "1",
    "ZONE_MAX_QUEUE": str(MAX_INPUTS - 1),
    "ZONE_LISTEN_WHEN_READY": "1",
}

image = modal.Image.from_dockerfile(
    REPO_ROOT / "infra" / "gpu" / "Dockerfile",
    context_dir=REPO_ROOT,
    add_python="3.12",
)
models = modal.Volume.from_name(VOLUME_NAME, create_if_missing=True)

app = modal.App(APP_NAME, image=image)


@app.function(
    gpu=GPU,
    volumes={MODELS_MOUNT: models},
    secrets=[
        modal.Secret.from_name(SECRET_NAME, required_keys=["GPU_SHARED_SECRET"]),
        modal.Secret.from_dict(SERVICE_ENV),
    ],
    min_containers=MIN_CONTAINERS,
    max_containers=MAX_CONTAINERS,
    buffer_containers=BUFFER_CONTAINERS,
    scaledown_window=SCALEDOWN_WINDOW,
    timeout=600,
)
@modal.concurrent(max_inputs=MAX_INPUTS, target_inputs=TARGET_INPUTS)
@modal.web_server(port=PORT, startup_timeout=STARTUP_TIMEOUT, requires_proxy_auth=True)
def serve() -> None:
    """Starts `zone serve`; Modal forwards requests once it listens on PORT."""
    subprocess.Popen(["node", "/app/gpu-function/bin/zone.js", "serve"], cwd="/app")
