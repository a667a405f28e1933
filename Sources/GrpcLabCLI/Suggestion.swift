import ClusterTools

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
      let distance = word.editDistance(to: candidate, countingSwaps: true)
      guard distance > 0, distance <= limit else { continue }
      if let current = best, (current.distance, current.candidate) <= (distance, candidate) { continue }
      best = (candidate, distance)
    }
    return best?.candidate
  }
}
