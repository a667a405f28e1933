/// "Did you mean …?": the known word closest to a mistyped one.
enum Suggestion {
  /// The candidate nearest `word` by edit distance, when it is close enough to be a typo: at most two
  /// edits, and at most half the word's length.
  ///
  ///     Suggestion.closest(to: "kubeclt", among: ["oc", "kubectl"])  // "kubectl"
  static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
    let limit = min(2, word.count / 2)
    var best: (candidate: String, distance: Int)?
    for candidate in candidates {
      let distance = editDistance(word, candidate)
      guard distance > 0, distance <= limit else { continue }
      if let current = best, (current.distance, current.candidate) <= (distance, candidate) { continue }
      best = (candidate, distance)
    }
    return best?.candidate
  }

  /// The Damerau–Levenshtein distance (optimal string alignment): insertions, deletions, substitutions and
  /// swaps of two neighbours each count one.
  ///
  /// - Complexity: O(*m* × *n*) for words of lengths *m* and *n*.
  static func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var before = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
      current[0] = i
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { current[j] = min(current[j], before[j - 2] + 1) }
      }
      (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
  }
}
