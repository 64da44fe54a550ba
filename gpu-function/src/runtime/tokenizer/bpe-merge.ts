// The BPE merge loop of GPT-2 / CLIP: repeatedly join the adjacent pair with the lowest merge
// rank, every non-overlapping occurrence left to right, until no adjacent pair has a rank.

/** Rank-table key of the pair (a, b). Byte-level symbols never contain a space. */
export function pairKey(a: string, b: string): string {
  return `${a} ${b}`;
}

/**
 * @param symbols the word's symbols, the last one already carrying the `</w>` marker
 * @param ranks pair key -> merge rank (its line in merges.txt, 0 = merged first)
 */
export function bpeMerge(symbols: readonly string[], ranks: ReadonlyMap<string, number>): string[] {
  let word = symbols.slice();
  while (word.length > 1) {
    let bestRank = Number.POSITIVE_INFINITY;
    let first = "";
    let second = "";
    for (let i = 0; i + 1 < word.length; i++) {
      const rank = ranks.get(pairKey(word[i], word[i + 1]));
      if (rank !== undefined && rank < bestRank) {
        bestRank = rank;
        first = word[i];
        second = word[i + 1];
      }
    }
    if (bestRank === Number.POSITIVE_INFINITY) break;
    const merged: string[] = [];
    for (let i = 0; i < word.length; i++) {
      if (word[i] === first && i + 1 < word.length && word[i + 1] === second) {
        merged.push(first + second);
        i++;
      } else {
        merged.push(word[i]);
      }
    }
    word = merged;
  }
  return word;
}
