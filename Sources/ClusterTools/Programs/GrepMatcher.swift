import RegexBuilder

/// grep's patterns compiled into one Swift `Regex`, with `-i`, `-w` and `-x` applied.
struct GrepMatcher {
  private let regex: Regex<AnyRegexOutput>
  /// The patterns' bytes when each is a plain string (no operator in its syntax, and no `-i`, `-w` or `-x`):
  /// a line matches when it holds one of them, found without the regex engine.
  private let literals: [[UInt8]]?
  private let probe: MatchProbe
  /// `regex` between two probes that record where a match starts and every end it can reach.
  private let probing: Regex<Substring>
  /// GNU's warnings for the patterns.
  let warnings: [String]

  /// Why the patterns do not compile: each failing pattern's complaint, in order.
  struct Failure: Error {
    let messages: [String]
  }

  /// Compiles `patterns`, any of which may match.
  init(
    _ patterns: [String], syntax: GrepPattern.Syntax, ignoreCase: Bool, wordRegexp: Bool, lineRegexp: Bool
  ) throws(Failure) {
    var sources: [String] = []
    var warnings: [String] = []
    var failures: [String] = []
    var groups = 0
    var allLiteral = true
    for pattern in patterns {
      do {
        let translated = try GrepPattern(pattern, syntax: syntax, ignoreCase: ignoreCase, firstGroup: groups)
        sources.append("(?:" + translated.source + ")")
        groups += translated.groupCount
        warnings += translated.warnings
        allLiteral = allLiteral && translated.isLiteral
      } catch {
        failures.append(error.message)
      }
    }
    guard failures.isEmpty else { throw Failure(messages: failures) }
    var source = sources.joined(separator: "|")
    if lineRegexp {
      source = "\\A(?:" + source + ")\\z"
    } else if wordRegexp {
      source = "(?:(?=\\w)\\b|(?!\\w)\\B)(?:" + source + ")(?!\\w)"
    }
    let regex: Regex<AnyRegexOutput>
    do {
      regex = try Regex(source)
        .ignoresCase(ignoreCase)
        .wordBoundaryKind(.simple)
        .dotMatchesNewlines()
        .matchingSemantics(.unicodeScalar)
    } catch {
      throw Failure(messages: ["Invalid regular expression"])
    }
    let probe = MatchProbe()
    self.regex = regex
    literals = ignoreCase || wordRegexp || lineRegexp || !allLiteral ? nil : patterns.map { Array($0.utf8) }
    self.probe = probe
    probing = Regex {
      ProbePoint(probe: probe, isStart: true)
      regex
      ProbePoint(probe: probe, isStart: false)
    }
    self.warnings = warnings
  }

  /// Whether any pattern matches somewhere in `line`.
  func matches(_ line: String) -> Bool {
    guard let literals else { return line.contains(regex) }
    return line.utf8.withContiguousStorageIfAvailable { bytes in literals.contains { Self.find($0, in: bytes) } }
      ?? literals.contains { Self.find($0, in: Array(line.utf8)) }
  }

  /// Whether `needle` occurs in `haystack`. Both are UTF-8, whose characters cannot begin inside another's
  /// bytes, so a byte match is a match of whole code points, as GNU grep's. Written out: the standard
  /// library's `contains(_:)` for a subsequence made `bench --seeds 20`, whose first run greps logs, cost
  /// twice the instructions.
  private static func find(_ needle: [UInt8], in haystack: some RandomAccessCollection<UInt8>) -> Bool {
    guard let first = needle.first else { return true }
    guard haystack.count >= needle.count else { return false }
    var start = haystack.startIndex
    let last = haystack.index(haystack.endIndex, offsetBy: -needle.count)
    while start <= last {
      if haystack[start] == first, haystack[start..<haystack.index(start, offsetBy: needle.count)].elementsEqual(needle) {
        return true
      }
      start = haystack.index(after: start)
    }
    return false
  }

  /// The non-empty matches `-o` prints: leftmost and, among those, longest (POSIX's rule, where Swift's engine would
  /// take the first alternative that matches), each search resuming where the previous match ended.
  func matchRanges(in line: String) -> [Range<String.Index>] {
    var ranges: [Range<String.Index>] = []
    var from = line.startIndex
    while true {
      probe.reset(from: from)
      _ = line.firstMatch(of: probing)
      guard let start = probe.start, let end = probe.end else { return ranges }
      if start < end {
        ranges.append(start..<end)
        from = end
      } else {
        guard end < line.endIndex else { return ranges }
        from = line.index(after: end)
      }
    }
  }
}

/// Where the leftmost match at or after `from` starts and the furthest it can end, gathered while the engine
/// backtracks through every way the patterns can match there.
private final class MatchProbe {
  var from: String.Index?
  var candidate: String.Index?
  var start: String.Index?
  var end: String.Index?

  func reset(from: String.Index) {
    self.from = from
    candidate = nil
    start = nil
    end = nil
  }

  /// Whether a match may begin at `index`: at or after `from`, and where the first match found begins.
  func begin(at index: String.Index) -> Bool {
    guard let from, index >= from, start == nil || start == index else { return false }
    candidate = index
    return true
  }

  /// Records that a match reached `index`.
  func reach(_ index: String.Index) {
    start = candidate
    if end.map({ index > $0 }) ?? true { end = index }
  }
}

/// One side of the patterns in the probing regex: before them it lets a match begin only where the probe allows;
/// after them it records the end reached and fails, so that the engine tries the other ways to match.
private struct ProbePoint: CustomConsumingRegexComponent {
  typealias RegexOutput = Substring
  let probe: MatchProbe
  let isStart: Bool

  func consuming(
    _ input: String, startingAt index: String.Index, in bounds: Range<String.Index>
  ) throws -> (upperBound: String.Index, output: Substring)? {
    guard isStart else {
      probe.reach(index)
      return nil
    }
    return probe.begin(at: index) ? (index, input[index..<index]) : nil
  }
}
