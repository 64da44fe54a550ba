import unittest

from tests.support import Graph, Node, cast, value
from zone_export.fp16_plan import FLOAT, FLOAT16, float32_nodes, nodes_between, remove_input_round_trips, topological_order


def unet_like_nodes() -> list[Node]:
    return [
        Node("/unet/Expand", "Expand", ["timestep", "shape"], ["t_b"]),
        Node("/unet/time_proj/Unsqueeze", "Unsqueeze", ["t_b"], ["t_u"]),
        Node("/unet/time_proj/Constant", "Constant", [], ["exponent"]),
        Node("/unet/time_proj/Mul", "Mul", ["t_u", "exponent"], ["arg"]),
        Node("/unet/time_proj/Sin", "Sin", ["arg"], ["sin"]),
        Node("/unet/time_proj/Cos", "Cos", ["arg"], ["cos"]),
        Node("/unet/time_proj/Concat", "Concat", ["sin", "cos"], ["t_emb"]),
        Node("/unet/time_embedding/linear_1/Gemm", "Gemm", ["t_emb", "w"], ["emb"]),
        Node("/unet/conv_in/Conv", "Conv", ["sample", "wc"], ["h"]),
        Node("/unet/Add", "Add", ["h", "emb"], ["out"]),
    ]


class Fp16PlanTest(unittest.TestCase):
    def test_keeps_the_timestep_path_and_projection(self):
        kept = float32_nodes(unet_like_nodes())
        self.assertEqual(
            kept,
            [
                "/unet/Expand",
                "/unet/time_proj/Unsqueeze",
                "/unet/time_proj/Constant",
                "/unet/time_proj/Mul",
                "/unet/time_proj/Sin",
                "/unet/time_proj/Cos",
                "/unet/time_proj/Concat",
            ],
        )

    def test_a_graph_without_the_scope_is_refused(self):
        with self.assertRaisesRegex(ValueError, "time_proj"):
            float32_nodes([Node("a", "Relu", ["x"], ["y"])])

    def test_nodes_between_excludes_side_branches(self):
        nodes = unet_like_nodes()
        between = nodes_between(nodes, ["timestep"], ["/unet/time_proj/Sin"])
        self.assertEqual(between, ["/unet/Expand", "/unet/time_proj/Unsqueeze", "/unet/time_proj/Mul", "/unet/time_proj/Sin"])

    def test_input_round_trips_are_removed(self):
        graph = Graph(
            node=[
                cast("graph_input_cast1", "timestep", "graph_input_cast_1", FLOAT16),
                cast("/unet/Expand_input_cast0", "graph_input_cast_1", "/unet/Expand_input_cast_0", FLOAT),
                Node("/unet/Expand", "Expand", ["/unet/Expand_input_cast_0", "shape"], ["t_b"]),
                cast("graph_input_cast0", "sample", "graph_input_cast_0", FLOAT16),
                Node("/unet/conv_in/Conv", "Conv", ["graph_input_cast_0", "w"], ["h"]),
            ],
            input=[value("sample"), value("timestep")],
        )
        self.assertEqual(remove_input_round_trips(graph), 1)
        names = [n.name for n in graph.node]
        self.assertEqual(names, ["/unet/Expand", "graph_input_cast0", "/unet/conv_in/Conv"])
        self.assertEqual(graph.node[0].input, ["timestep", "shape"])

    def test_round_trips_of_intermediate_tensors_stay(self):
        graph = Graph(
            node=[
                Node("a", "Relu", ["x"], ["y"]),
                cast("c16", "y", "y16", FLOAT16),
                cast("c32", "y16", "y32", FLOAT),
                Node("b", "Relu", ["y32"], ["z"]),
            ],
            input=[value("x")],
        )
        self.assertEqual(remove_input_round_trips(graph), 0)
        self.assertEqual(len(graph.node), 4)

    def test_topological_order(self):
        nodes = [
            Node("late", "Add", ["a", "cast_out"], ["out"]),
            Node("first", "Relu", ["x"], ["a"]),
            cast("cast", "a", "cast_out", FLOAT16),
        ]
        ordered = topological_order(nodes, ["x"])
        self.assertEqual([n.name for n in ordered], ["first", "cast", "late"])
        with self.assertRaisesRegex(ValueError, "undefined"):
            topological_order([Node("n", "Relu", ["nowhere"], ["y"])], ["x"])
        optional = Node("resize", "Resize", ["x", "", "scales"], ["y"])
        self.assertEqual(topological_order([optional], ["x", "scales"]), [optional])


if __name__ == "__main__":
    unittest.main()
