// Published torch.randn outputs (printed by torch to 4 decimals) used as test references.
//
// Nothing here was produced by this code: every value was copied from a print-out of real PyTorch
// found in public repositories, docs or notes, and each vector was cross-checked against at least one
// other print-out (a different source, or a different shape whose draws overlap). Where a source
// has no stable repository path (tutorial notes found by code search) it is described instead.
// `nn.Embedding(n, d)` initialises its weight with normal_(0, 1), the same kernel as randn(n, d).

export interface RandnCall {
  /** numel of the tensor drawn by this torch call, on the same generator as the previous calls. */
  readonly count: number;
  /** Printed values; at `indices` when given, otherwise at 0, 1, 2, ... */
  readonly values: readonly number[];
  readonly indices?: readonly number[];
}

export interface TorchRandnReference {
  readonly name: string;
  readonly seed: number;
  readonly calls: readonly RandnCall[];
  readonly sources: readonly string[];
}

export const TORCH_RANDN_REFERENCES: readonly TorchRandnReference[] = [
  {
    name: "seed 0, randn(3, 4): scalar (< 16) path",
    seed: 0,
    calls: [
      {
        count: 12,
        values: [
          1.541, -0.2934, -2.1788, 0.5684, -1.0845, -1.3986, 0.4033, 0.838, -0.7193, -0.4033, -0.5966, 0.182,
        ],
      },
    ],
    sources: [
      "li-plus/chatglm.cpp chatglm_test.cpp, TEST_F(ChatGLMTest, Embedding) w_data (older revisions): nn.Embedding(4, 3) after manual_seed(0)",
      "BatchNorm tutorial notes (Chinese) and pandas/torch notes (Korean), found by code search: torch.randn(3, 4) after manual_seed(0)",
      "kornia DistributionWithMapper docstring: Normal(0, 1).rsample((8,)) after manual_seed(0) gives the first 8",
    ],
  },
  {
    name: "seed 42, randn(5, 3): scalar path, odd count (ends on a cached Box-Muller value)",
    seed: 42,
    calls: [
      {
        count: 15,
        values: [
          0.3367, 0.1288, 0.2345, 0.2303, -1.1229, -0.1863, 2.2082, -0.638, 0.4617, 0.2674, 0.5349, 0.8094,
          1.1103, -1.6898, -0.989,
        ],
      },
    ],
    sources: [
      "Transformer notes (Chinese), found by code search: nn.Embedding(5, 3) weight after manual_seed(42)",
      "Hands-On ML (PyTorch edition, Chinese translation) nn.Embedding(5, 3) example: rows 0, 2, 3",
      "many tutorials: torch.randn(2, 3) / randn(3, 3) / randn(8) after manual_seed(42); pfhedge randn_antithetic docstring",
    ],
  },
  {
    name: "seed 0, randn(4, 4): exactly one vectorised 16-block",
    seed: 0,
    calls: [
      {
        count: 16,
        values: [
          -1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152, 0.3223, -1.2633, 0.35, 0.3081,
          0.1198, 1.2377, 1.1168, -0.2473,
        ],
      },
    ],
    sources: [
      "kornia/kornia kornia/augmentation/_2d/geometric/center_crop.py CenterCrop doctest: torch.randn(1, 1, 4, 4) after manual_seed(0)",
      "tutorials found by code search printing torch.randn(4, 4) after torch.manual_seed(0)",
    ],
  },
  {
    name: "seed 0, randn(1, 1, 2, 4, 6): three 16-blocks",
    seed: 0,
    calls: [
      {
        count: 48,
        values: [
          -1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152, 0.3223, -1.2633, 0.35, 0.3081,
          0.1198, 1.2377, 1.1168, -0.2473, -1.3527, -1.6959, 0.5667, 0.7935, 0.5988, -1.5551, -0.3414, 1.853,
          0.7502, -0.5855, -0.1734, 0.1835, 1.3894, 1.5863, 0.9463, -0.8437, -0.6136, 0.0316, -0.4927, 0.2484,
          0.4397, 0.1124, 0.6408, 0.4412, -0.1023, 0.7924, -0.2897, 0.0525, 0.5229, 2.3022, -1.4689, -1.5867,
        ],
      },
    ],
    sources: [
      "kornia/kornia kornia/augmentation/_3d/geometric/center_crop.py CenterCrop3D doctest (executed in kornia's CI)",
      "a torch.compile repro found by code search: three successive randn(4, 4) after manual_seed(0) give the same 48 values",
    ],
  },
  {
    name: "seed 0, randn(10, 4) then randn(4, 4) then randn(10, 4): tail recompute (40 % 16 = 8), shared generator",
    seed: 0,
    calls: [
      {
        count: 40,
        values: [
          -1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152, 0.3223, -1.2633, 0.35, 0.3081,
          0.1198, 1.2377, 1.1168, -0.2473, -1.3527, -1.6959, 0.5667, 0.7935, 0.5988, -1.5551, -0.3414, 1.853,
          -0.2159, -0.7425, 0.5627, 0.2596, -0.174, -0.6787, 0.9383, 0.4889, 1.2032, 0.0845, -1.2001, -0.0048,
          -0.5181, -0.3067, -1.581, 1.7066,
        ],
      },
      {
        count: 16,
        values: [
          0.2055, -0.4503, -0.5731, -0.5554, 0.5943, 1.5419, 0.5073, -0.591, -1.3253, 0.1886, -0.0691,
          -0.4949, -1.4959, -0.1938, 0.4455, 1.3253,
        ],
      },
      {
        count: 40,
        values: [
          1.5091, 2.082, 1.7067, 2.3804, -1.1256, -0.317, -1.0925, -0.0852, 0.3276, -0.7607, -1.5991, 0.0185,
          -0.7504, 0.1854, 0.6211, 0.6382, -0.0033, -0.5344, 1.1687, 0.3945, 1.9415, 0.7915, -0.0203, -0.4372,
          -0.2188, -2.4351, -0.0729, -0.034, 0.9625, 0.3492, -0.9215, -0.0562, -0.6227, -0.4637, 1.9218,
          -0.4025, 0.1239, 1.1648, 0.9234, 1.3873,
        ],
      },
    ],
    sources: [
      "matrix-calculus notes (Chinese; two separate write-ups), found by code search: X, W, Y = randn(10, 4), randn(4, 4), randn(10, 4) after manual_seed(0)",
      "an HLS test array found by code search (a seed-0 randn of 36 values) agrees on the draws it shares with this vector",
    ],
  },
  {
    name: "seed 0, randn(3, 3, 3) then randn(3): tail recompute (27 % 16 = 11), then the scalar path mid-stream",
    seed: 0,
    calls: [
      {
        count: 27,
        values: [
          -1.1258, -1.1524, -0.2506, -0.4339, 0.8487, 0.692, -0.316, -2.1152, 0.3223, -1.2633, 0.35, 0.266,
          0.1665, 0.8744, -0.1435, -0.1116, -0.6136, 0.0316, -0.4927, 0.0537, 0.6181, -0.4128, -0.8411,
          -2.316, -0.1023, 0.7924, -0.2897,
        ],
      },
      { count: 3, values: [-0.2251, 2.3466, -1.1088] },
    ],
    sources: [
      "miqsar (estimators/utils.py) get_mini_batches docstring: x_train, y_train = randn((3, 3, 3)), randn(3) after manual_seed(0); printed as shuffled (x, y) batches in the order 2, 0, 1, which the x rows identify",
      "a C batch-norm test found by code search uses the same 27 values as its input",
    ],
  },
  {
    name: "seed 42, randn(2, 3, 4): tail recompute (24 % 16 = 8)",
    seed: 42,
    calls: [
      {
        count: 24,
        values: [
          1.9269, 1.4873, 0.9007, -2.1055, 0.6784, -1.2345, -0.0431, -1.6047, 0.3559, -0.6866, -0.4934,
          0.2415, -1.1109, 0.0915, -2.3169, -0.2168, -0.3097, -0.3957, 0.8034, -0.6216, -0.592, -0.0631,
          -0.8286, 0.3309,
        ],
      },
    ],
    sources: [
      "karpathy/llm.c doc/layernorm/layernorm.md: torch.randn(2, 3, 4) after manual_seed(42)",
      "a Hungarian-matcher unit test docstring found by code search (fake_logits, same shape and seed)",
    ],
  },
  {
    name: "seed 42, randn(4, 5): tail recompute overlapping 12 of 16 slots (20 % 16 = 4)",
    seed: 42,
    calls: [
      {
        count: 20,
        values: [
          1.9269, 1.4873, 0.9007, -2.1055, -0.7581, 1.0783, 0.8008, 1.6806, 0.3559, -0.6866, -0.4934, 0.2415,
          -0.2316, 0.0418, -0.2516, 0.8599, -0.3097, -0.3957, 0.8034, -0.6216,
        ],
      },
    ],
    sources: [
      "flashinfer-ai/flashinfer python/flashinfer/sampling.py docstrings: logits = torch.randn(4, 5) after manual_seed(42) (generated on CPU, then .to(0))",
    ],
  },
  {
    name: "seed 42, nn.Embedding(10, 3): tail recompute (30 % 16 = 14)",
    seed: 42,
    calls: [
      {
        count: 30,
        values: [
          1.9269, 1.4873, 0.9007, -2.1055, 0.6784, -1.2345, -0.0431, -1.6047, -0.7521, 1.6487, -0.3925,
          -1.4036, -0.7279, -0.5594, -2.3169, -0.2168, -1.3847, -0.8712, -0.2234, 1.7174, 0.3189, -0.4245,
          -0.8286, 0.3309, -1.5576, 0.9956, -0.8798, -0.6011, -1.2742, 2.1228,
        ],
      },
    ],
    sources: [
      "embedding notes (Chinese), found by code search: nn.Embedding(10, 3) weight after manual_seed(42)",
      "cross-entropy notes (Chinese), found by code search: torch.randn(2, 3, 5) after manual_seed(42)",
    ],
  },
  {
    name: "seed 42, randn(32, 3, 64, 64): a latent-sized tensor (393216 values, many MT19937 twists)",
    seed: 42,
    calls: [
      {
        count: 32 * 3 * 64 * 64,
        indices: [0, 1, 2, 61, 62, 63, 64, 65, 66],
        values: [1.9269, 1.4873, 0.9007, 1.8446, -1.1845, 1.3835, 1.4451, 0.8564, 2.2181],
      },
    ],
    sources: [
      "PyTorch course notebook found by code search: images = torch.randn(size=(32, 3, 64, 64)) after manual_seed(42), first two rows (ends elided by torch)",
      "attention notes found by code search: torch.randn(4, 8, 32) after manual_seed(42) shows the same values at 0..2 and 61..63",
    ],
  },
];
