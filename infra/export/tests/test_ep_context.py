import tempfile
import unittest
from pathlib import Path

from tests.support import available


@unittest.skipUnless(available("onnx"), "onnx is not installed")
class EpContextTest(unittest.TestCase):
    def write_context(self, path: Path, engine_name: str, extra_node: bool = False) -> None:
        import onnx
        from onnx import TensorProto, helper

        nodes = [
            helper.make_node(
                "EPContext", ["sample"], ["out"], name="trt", domain="com.microsoft",
                embed_mode=0, ep_cache_context=engine_name, main_context=1,
            )
        ]
        if extra_node:
            nodes.append(helper.make_node("Relu", ["out"], ["out2"], name="tail"))
        graph = helper.make_graph(
            nodes, "ctx",
            [helper.make_tensor_value_info("sample", TensorProto.FLOAT, ["batch", 4])],
            [helper.make_tensor_value_info("out2" if extra_node else "out", TensorProto.FLOAT, ["batch", 4])],
        )
        model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17), helper.make_opsetid("com.microsoft", 1)])
        onnx.save_model(model, str(path))

    def test_engine_moves_beside_the_context_model(self):
        import onnx

        from zone_export.ep_context import normalize

        with tempfile.TemporaryDirectory() as root:
            cache = Path(root, "cache")
            cache.mkdir()
            Path(cache, "TRTKernel_graph_123_sm90.engine").write_bytes(b"plan")
            folder = Path(root, "bundle", "engines", "h100")
            folder.mkdir(parents=True)
            context = folder / "ip2pUnet_ctx.onnx"
            self.write_context(context, "TRTKernel_graph_123_sm90.engine")
            engines, fully = normalize(context, "ip2pUnet", [cache])
            self.assertEqual(engines, [folder / "ip2pUnet.engine"])
            self.assertTrue(fully)
            self.assertEqual((folder / "ip2pUnet.engine").read_bytes(), b"plan")
            self.assertFalse(Path(cache, "TRTKernel_graph_123_sm90.engine").exists())
            node = onnx.load(str(context)).graph.node[0]
            attribute = next(a for a in node.attribute if a.name == "ep_cache_context")
            self.assertEqual(attribute.s, b"ip2pUnet.engine")
            # Idempotent: a second pass finds the engine where it already is.
            self.assertEqual(normalize(context, "ip2pUnet", [])[0], [folder / "ip2pUnet.engine"])

    def test_partial_graphs_and_missing_engines(self):
        from zone_export.ep_context import normalize

        with tempfile.TemporaryDirectory() as root:
            context = Path(root, "vaeDecoder_ctx.onnx")
            Path(root, "relative.engine").write_bytes(b"plan")
            self.write_context(context, "relative.engine", extra_node=True)
            engines, fully = normalize(context, "vaeDecoder", [])
            self.assertFalse(fully)
            self.assertEqual(engines, [Path(root, "vaeDecoder.engine")])
            self.write_context(context, "gone.engine")
            with self.assertRaises(FileNotFoundError):
                normalize(context, "vaeDecoder", [])


if __name__ == "__main__":
    unittest.main()
