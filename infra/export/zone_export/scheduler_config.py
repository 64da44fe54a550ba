"""The bundle's scheduler/scheduler_config.json (diffusers' JSON form) and what the runtime accepts.

Mirrors gpu-function/src/denoise/schedulers/config.ts: keys whose non-default values the runtime does not
implement are rejected, so a bundle that verifies here also loads there.
"""

from __future__ import annotations

from typing import Mapping

# InstructPix2Pix's schedule (scheduler_config.json of timbrooks/instruct-pix2pix).
IP2P_SCHEDULE = {
    "num_train_timesteps": 1000,
    "beta_start": 0.00085,
    "beta_end": 0.012,
    "beta_schedule": "scaled_linear",
    "prediction_type": "epsilon",
    "steps_offset": 1,
}

# The release ran diffusers 0.18, whose DPM-Solver++ takes a second-order last step to timestep 0;
# current diffusers reproduces that with final_sigmas_type "sigma_min" (its default "zero" takes a
# first-order step to sigma 0). Written into every bundle's scheduler config; the runtime's
# default (shared/src/zone-defaults.ts, denoise.finalSigmasType) is the same value.
RELEASE_LAST_STEP = {"final_sigmas_type": "sigma_min"}


def bundle_scheduler_config(config: Mapping) -> dict:
    """The hub's scheduler config with the release's last step."""
    return {**config, **RELEASE_LAST_STEP}


_SUPPORTED_ONLY = {
    "algorithm_type": ("dpmsolver++", "deis"),
    "rescale_betas_zero_snr": (False,),
    "thresholding": (False,),
    "use_karras_sigmas": (False,),
    "use_exponential_sigmas": (False,),
    "use_beta_sigmas": (False,),
    "use_lu_lambdas": (False,),
    "use_flow_sigmas": (False,),
    "use_dynamic_shifting": (False,),
    "variance_type": (None,),
}
_CHOICES = {
    "beta_schedule": ("linear", "scaled_linear"),
    "prediction_type": ("epsilon", "v_prediction"),
    "timestep_spacing": ("linspace", "leading", "trailing"),
    "final_sigmas_type": ("zero", "sigma_min"),
}


def scheduler_problems(config: Mapping) -> list[str]:
    problems: list[str] = []
    if not isinstance(config.get("_class_name"), str):
        problems.append("_class_name is missing")
    for key, allowed in {**_SUPPORTED_ONLY, **_CHOICES}.items():
        if key in config and config[key] not in allowed:
            problems.append(f"{key} is {config[key]!r}; the runtime supports {list(allowed)}")
    steps = config.get("num_train_timesteps", 1000)
    if not isinstance(steps, int) or steps < 1:
        problems.append(f"num_train_timesteps is {steps!r}")
    betas = config.get("trained_betas")
    if betas is not None and (not isinstance(betas, list) or len(betas) != steps):
        problems.append("trained_betas must be null or one beta per training step")
    for key in ("beta_start", "beta_end"):
        if key in config and not (isinstance(config[key], (int, float)) and 0 < config[key] < 1):
            problems.append(f"{key} is {config[key]!r}")
    return problems
