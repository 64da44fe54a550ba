import unittest

from zone_export.dims_expr import parse_dim, resolve_dim, resolve_shape, variables


class DimsExprTest(unittest.TestCase):
    def test_parses_the_three_forms(self):
        self.assertEqual(parse_dim("batch"), ("batch", 1, 1))
        self.assertEqual(parse_dim("height/8"), ("height", 1, 8))
        self.assertEqual(parse_dim("8*latent_height"), ("latent_height", 8, 1))

    def test_rejects_other_expressions(self):
        for bad in ("height+1", "h/0", "2*3", "", "a/b", "height / 8"):
            with self.assertRaises(ValueError, msg=bad):
                parse_dim(bad)

    def test_resolves_shapes(self):
        shape = ["batch", 77, "latent_height/4", "8*latent_width"]
        self.assertEqual(resolve_shape(shape, {"batch": 3, "latent_height": 16, "latent_width": 12}), (3, 77, 4, 96))

    def test_fractions_must_be_whole(self):
        with self.assertRaises(ValueError):
            resolve_dim("latent_height/4", {"latent_height": 10})

    def test_missing_variable(self):
        with self.assertRaises(KeyError):
            resolve_dim("points", {})

    def test_variables_in_first_use_order(self):
        self.assertEqual(variables([1, "points", "batch", "points/2"]), ["points", "batch"])


if __name__ == "__main__":
    unittest.main()
