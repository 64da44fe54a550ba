import hashlib
import tempfile
import unittest
from pathlib import Path

from zone_export.hashing import bundle_files, check_sums, format_sums, parse_sums, sha256_bytes, sha256_file, write_sums


class HashingTest(unittest.TestCase):
    def test_file_hash_is_streamed_sha256(self):
        data = bytes(range(256)) * 40000  # 10 MB, more than one chunk
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder, "model.onnx")
            path.write_bytes(data)
            self.assertEqual(sha256_file(path), hashlib.sha256(data).hexdigest())
        self.assertEqual(sha256_bytes(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")

    def test_sums_format_is_sha256sum(self):
        text = format_sums({"b/x.json": "1" * 64, "a.onnx": "2" * 64})
        self.assertEqual(text, f"{'2' * 64}  a.onnx\n{'1' * 64}  b/x.json\n")
        self.assertEqual(parse_sums(text), {"a.onnx": "2" * 64, "b/x.json": "1" * 64})
        with self.assertRaises(ValueError):
            parse_sums("abc a.onnx\n")
        with self.assertRaises(ValueError):
            format_sums({"/abs": "1" * 64})

    def test_write_then_check_then_tamper(self):
        with tempfile.TemporaryDirectory() as folder:
            Path(folder, "tokenizer").mkdir()
            Path(folder, "a.onnx").write_bytes(b"model")
            Path(folder, "tokenizer", "vocab.json").write_text("{}")
            digests = write_sums(folder)
            self.assertEqual(sorted(digests), ["a.onnx", "tokenizer/vocab.json"])
            self.assertEqual(bundle_files(folder), ["a.onnx", "tokenizer/vocab.json"])
            self.assertEqual(check_sums(folder), [])
            Path(folder, "a.onnx").write_bytes(b"other")
            Path(folder, "new.txt").write_text("x")
            Path(folder, "tokenizer", "vocab.json").unlink()
            problems = check_sums(folder)
            self.assertIn("a.onnx: sha256 differs from SHA256SUMS", problems)
            self.assertIn("new.txt: not listed in SHA256SUMS", problems)
            self.assertIn("tokenizer/vocab.json: listed in SHA256SUMS but missing", problems)

    def test_known_digests_are_reused(self):
        with tempfile.TemporaryDirectory() as folder:
            Path(folder, "a.onnx").write_bytes(b"model")
            digests = write_sums(folder, {"a.onnx": "f" * 64})
            self.assertEqual(digests["a.onnx"], "f" * 64)

    def test_missing_sums_file(self):
        with tempfile.TemporaryDirectory() as folder:
            self.assertEqual(check_sums(folder), ["SHA256SUMS is missing"])


if __name__ == "__main__":
    unittest.main()
