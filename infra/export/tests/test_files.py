import json
import tempfile
import unittest
from pathlib import Path

from zone_export.engine_record import engine_record_problems, write_record
from zone_export.hashing import sha256_file
from zone_export.scheduler_config import IP2P_SCHEDULE, scheduler_problems
from zone_export.tokenizer_files import (
    END_ID,
    START_ID,
    bytes_to_unicode,
    copy_tokenizer,
    tiny_vocabulary,
    tokenizer_problems,
    write_tiny_tokenizer,
)


class TokenizerFilesTest(unittest.TestCase):
    def test_byte_table_is_a_bijection_of_printable_characters(self):
        table = bytes_to_unicode()
        self.assertEqual(len(table), 256)
        self.assertEqual(len(set(table.values())), 256)
        self.assertEqual(table[ord("a")], "a")
        self.assertEqual(table[ord(" ")], "Ġ")

    def test_tiny_vocabulary(self):
        vocab, merges = tiny_vocabulary()
        self.assertEqual(vocab["<|startoftext|>"], START_ID)
        self.assertEqual(vocab["<|endoftext|>"], END_ID)
        self.assertEqual(vocab["the</w>"], 513)
        self.assertTrue(merges.startswith("#version"))

    def test_written_tiny_tokenizer_passes_and_broken_ones_do_not(self):
        with tempfile.TemporaryDirectory() as folder:
            write_tiny_tokenizer(folder)
            self.assertEqual(tokenizer_problems(folder), [])
            Path(folder, "merges.txt").write_text("#version: 0.2\nq z\n")
            self.assertIn("merges.txt line 2: 'qz' is not in the vocabulary", tokenizer_problems(folder))
            vocab = json.loads(Path(folder, "vocab.json").read_text())
            vocab["<|endoftext|>"] = 3
            Path(folder, "vocab.json").write_text(json.dumps(vocab))
            self.assertTrue(any("<|endoftext|>" in p for p in tokenizer_problems(folder)))
        with tempfile.TemporaryDirectory() as folder:
            self.assertEqual(tokenizer_problems(folder), [f"{Path(folder).name}/vocab.json is missing"])

    def test_copy(self):
        with tempfile.TemporaryDirectory() as source, tempfile.TemporaryDirectory() as target:
            write_tiny_tokenizer(source)
            copy_tokenizer({n: Path(source, n) for n in ("vocab.json", "merges.txt")}, Path(target, "tokenizer"))
            self.assertEqual(tokenizer_problems(Path(target, "tokenizer")), [])


class SchedulerConfigTest(unittest.TestCase):
    def test_ip2p_config_is_accepted(self):
        config = {"_class_name": "EulerAncestralDiscreteScheduler", **IP2P_SCHEDULE, "trained_betas": None}
        self.assertEqual(scheduler_problems(config), [])

    def test_unsupported_values(self):
        config = {"_class_name": "DPMSolverMultistepScheduler", "use_karras_sigmas": True, "beta_schedule": "squaredcos_cap_v2"}
        problems = scheduler_problems(config)
        self.assertEqual(len(problems), 2, problems)
        self.assertIn("_class_name is missing", scheduler_problems({}))
        self.assertTrue(scheduler_problems({"_class_name": "X", "trained_betas": [0.1]}))


class EngineRecordTest(unittest.TestCase):
    def test_record_round_trip_and_problems(self):
        with tempfile.TemporaryDirectory() as out:
            folder = Path(out, "engines", "h100")
            folder.mkdir(parents=True)
            engine = folder / "ip2pUnet.engine"
            engine.write_bytes(b"plan")
            context = "engines/h100/ip2pUnet_ctx.onnx"
            record = {
                "gpu": {"key": "H100"},
                "roles": {"ip2pUnet": {"context": context, "engines": [{"file": "engines/h100/ip2pUnet.engine", "sha256": sha256_file(engine)}]}},
            }
            write_record(folder / "engines.json", record)
            self.assertEqual(engine_record_problems(out, "ip2pUnet", "H100", context), [])
            self.assertIn("engines.json has no vaeDecoder", engine_record_problems(out, "vaeDecoder", "H100", context))
            self.assertTrue(engine_record_problems(out, "ip2pUnet", "A100", context))
            engine.write_bytes(b"other")
            self.assertIn(
                "engines/h100/ip2pUnet.engine: sha256 differs from engines.json",
                engine_record_problems(out, "ip2pUnet", "H100", context),
            )
            self.assertEqual(
                engine_record_problems(out, "ip2pUnet", "A100", "engines/a100/ip2pUnet_ctx.onnx"),
                ["engines/a100/engines.json is missing"],
            )


if __name__ == "__main__":
    unittest.main()
