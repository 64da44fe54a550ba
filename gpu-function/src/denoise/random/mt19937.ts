// MT19937: the 32-bit Mersenne Twister of Matsumoto & Nishimura (ACM TOMACS, 1998), with the
// 2002 `init_genrand` seeding. This is the engine behind PyTorch's CPU generator
// (at::mt19937 / CPUGeneratorImpl), so with `Mt19937.fromTorchSeed` it replays the exact 32-bit
// stream that `torch.Generator().manual_seed(seed)` produces.
//
// Seeding as torch does it: manual_seed takes any Python int in [-2^63, 2^64), stores it as a
// uint64 (negative values in two's complement) and at::mt19937's init_with_uint32 keeps only the
// low 32 bits for state[0]. So seeds that agree modulo 2^32 give the same stream
// (e.g. 0, 2^32 and -2^64 + 2^32 are all "seed 0" to the engine).

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

/** The reference implementation's default seed (also std::mt19937's). */
export const MT19937_DEFAULT_SEED = 5489;

const TORCH_SEED_MIN = -(2n ** 63n);
const TORCH_SEED_LIMIT = 2n ** 64n;

/**
 * Reduces a torch manual_seed value to the 32-bit init_genrand seed. Throws RangeError outside
 * torch's accepted range [-2^63, 2^64) or for non-integers, as torch raises RuntimeError there.
 */
export function torchSeedToMt19937Seed(seed: number | bigint): number {
  if (typeof seed === "number" && !Number.isSafeInteger(seed)) {
    throw new RangeError(`torch seed must be a safe integer (use a bigint beyond 2^53), got ${seed}`);
  }
  const big = BigInt(seed);
  if (big < TORCH_SEED_MIN || big >= TORCH_SEED_LIMIT) {
    throw new RangeError(`torch seed must be in [-2^63, 2^64), got ${big}`);
  }
  return Number(BigInt.asUintN(32, big));
}

export class Mt19937 {
  readonly #state = new Uint32Array(N);
  #index = N;

  /** `seed` is the 32-bit init_genrand seed (an integer in [0, 2^32)). */
  constructor(seed: number = MT19937_DEFAULT_SEED) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
      throw new RangeError(`MT19937 seed must be an integer in [0, 2^32), got ${seed}`);
    }
    const state = this.#state;
    state[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = state[i - 1];
      state[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
    }
  }

  /** An engine seeded exactly as `torch.Generator().manual_seed(seed)` seeds its mt19937. */
  static fromTorchSeed(seed: number | bigint): Mt19937 {
    return new Mt19937(torchSeedToMt19937Seed(seed));
  }

  /** The next 32-bit output, as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    if (this.#index >= N) this.#twist();
    let y = this.#state[this.#index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  // Regenerates all N words of state (the "twist").
  #twist(): void {
    const state = this.#state;
    for (let k = 0; k < N; k++) {
      const y = (state[k] & UPPER_MASK) | (state[(k + 1) % N] & LOWER_MASK);
      state[k] = state[(k + M) % N] ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    this.#index = 0;
  }
}
