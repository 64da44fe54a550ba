import unittest

from zone_export.scheduler_config import IP2P_SCHEDULE, RELEASE_LAST_STEP, bundle_scheduler_config, scheduler_problems


class ReleaseLastStepTest(unittest.TestCase):
    def test_bundle_config_takes_the_release_last_step(self):
        hub = {"_class_name": "EulerAncestralDiscreteScheduler", **IP2P_SCHEDULE, "trained_betas": None}
        config = bundle_scheduler_config(hub)
        self.assertEqual(config["final_sigmas_type"], "sigma_min")
        self.assertEqual(RELEASE_LAST_STEP, {"final_sigmas_type": "sigma_min"})
        self.assertEqual({k: v for k, v in config.items() if k != "final_sigmas_type"}, hub)
        self.assertEqual(scheduler_problems(config), [])
        # A config that asks for diffusers' current default still loads; the export never writes it.
        self.assertEqual(scheduler_problems({**hub, "final_sigmas_type": "zero"}), [])

    def test_unknown_last_step_is_rejected(self):
        hub = {"_class_name": "DPMSolverMultistepScheduler", "final_sigmas_type": "denoise_to_zero"}
        self.assertEqual(len(scheduler_problems(hub)), 1)


if __name__ == "__main__":
    unittest.main()
