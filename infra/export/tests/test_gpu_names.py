import unittest

from zone_export.gpu_names import engine_dir, engine_key, key_fits


class GpuNamesTest(unittest.TestCase):
    CASES = [
        ("NVIDIA H100 80GB HBM3", "H100"),
        ("NVIDIA H100 PCIe", "H100"),
        ("NVIDIA A100-SXM4-80GB", "A100"),
        ("NVIDIA A100-SXM4-40GB", "A100"),
        ("NVIDIA L40S", "L40S"),
        ("NVIDIA A10G", "A10G"),
        ("Tesla T4", "T4"),
        ("NVIDIA L4", "L4"),
        ("NVIDIA GeForce RTX 4090", "RTX-4090"),
        ("NVIDIA RTX A6000", "RTX-A6000"),
        ("NVIDIA H200", "H200"),
    ]

    def test_keys(self):
        for name, key in self.CASES:
            self.assertEqual(engine_key(name), key, name)

    def test_every_key_fits_its_gpu_by_the_runtimes_rule(self):
        for name, key in self.CASES:
            self.assertTrue(key_fits(key, name), name)

    def test_keys_do_not_fit_other_gpus(self):
        self.assertFalse(key_fits("L40", "NVIDIA L40S"))
        self.assertFalse(key_fits("H100", "NVIDIA H200"))
        self.assertFalse(key_fits("L4", "NVIDIA L40S"))
        self.assertFalse(key_fits("", "NVIDIA H100"))

    def test_no_name(self):
        with self.assertRaises(ValueError):
            engine_key("NVIDIA")

    def test_folder(self):
        self.assertEqual(engine_dir("RTX-4090"), "engines/rtx-4090")


if __name__ == "__main__":
    unittest.main()
