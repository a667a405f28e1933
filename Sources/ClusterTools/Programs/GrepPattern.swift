/// One grep pattern rewritten in Swift `Regex` syntax, read as GNU grep reads it with glibc's POSIX regular
/// expressions and GNU's extensions: basic (`\(`, `\)`, `\|`, `\{…\}`, `\+`, `\?` are operators; `( ) | { } + ?` are
/// plain characters), extended (the other way round) or fixed strings.
struct GrepPattern {
  enum Syntax: Equatable {
    case basic, extended, fixed
  }

  /// Why a pattern does not compile, in glibc's words (`Unmatched ( or \(`).
  struct Failure: Error, Equatable {
    let message: String
  }

  /// The Swift regex source.
  let source: String
  /// How many capture groups the pattern opens; a later pattern's back-references are numbered past them.
  let groupCount: Int
  /// GNU's warnings for the pattern, such as `* at start of expression`.
  let warnings: [String]
  /// Whether the pattern holds no operator of its syntax, so that it matches its own text and nothing else.
  let isLiteral: Bool

  /// Translates `pattern`, whose group 1 is the regex's group `firstGroup + 1`.
  init(_ pattern: String, syntax: Syntax, ignoreCase: Bool, firstGroup: Int) throws(Failure) {
    if syntax == .fixed {
      source = Self.escaped(pattern)
      groupCount = 0
      warnings = []
      isLiteral = true
      return
    }
    var translation = Translation(
      scalars: Array(pattern.unicodeScalars), extended: syntax == .extended, ignoreCase: ignoreCase, firstGroup: firstGroup)
    source = try translation.translate()
    groupCount = translation.groupCount
    warnings = translation.warnings
    isLiteral = source == Self.escaped(pattern)
  }

  /// `text` matched literally, character by character.
  static func escaped(_ text: String) -> String {
    text.unicodeScalars.map(literal).joined()
  }

  /// `scalar` matched literally, in or outside a bracket expression.
  static func literal(_ scalar: Unicode.Scalar) -> String {
    isPunctuation(scalar) ? "\\" + String(scalar) : String(scalar)
  }

  /// Whether `scalar` is ASCII punctuation, which Swift regex syntax takes literally only when escaped.
  private static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
    ("!"..."~").contains(scalar) && !scalar.properties.isAlphabetic && !("0"..."9").contains(scalar)
  }
}

/// The left-to-right rewrite of one basic or extended pattern.
private struct Translation {
  /// What a piece of the output is, which decides what a following repetition operator does.
  enum Kind {
    case atom, repeated, alternation
    /// `^` or `$` in an extended pattern, which GNU grep repeats like an atom (`^*a` finds any `a`).
    case lineAnchor
    /// Any other anchor, after which a repetition operator is a plain character (basic) or ignored (extended).
    case anchor
  }

  struct Piece {
    var text: String
    var kind: Kind
  }

  /// How an interval such as `{2,3}` reads.
  enum Interval {
    case bounds(Int, Int?)
    case literal
  }

  /// A member of a bracket expression.
  enum Element {
    case character(Unicode.Scalar)
    case collating([Unicode.Scalar])
    case equivalence([Unicode.Scalar])
    case characterClass(String)
  }

  /// glibc's RE_DUP_MAX, the largest count an interval may give.
  static let largestCount = 32767

  let scalars: [Unicode.Scalar]
  let extended: Bool
  let ignoreCase: Bool
  let firstGroup: Int
  var index = 0
  /// The pieces of each open group, outermost (the whole pattern) first.
  var levels: [[Piece]] = [[]]
  var openGroups: [Int] = []
  var closedGroups: Set<Int> = []
  var groupCount = 0
  var warnings: [String] = []

  init(scalars: [Unicode.Scalar], extended: Bool, ignoreCase: Bool, firstGroup: Int) {
    self.scalars = scalars
    self.extended = extended
    self.ignoreCase = ignoreCase
    self.firstGroup = firstGroup
  }

  /// The Swift regex source for the whole pattern.
  mutating func translate() throws(GrepPattern.Failure) -> String {
    while index < scalars.count {
      let scalar = scalars[index]
      index += 1
      if scalar == "\\" {
        try escaped()
      } else {
        try plain(scalar)
      }
    }
    guard openGroups.isEmpty else { throw GrepPattern.Failure(message: "Unmatched ( or \\(") }
    return levels[0].map(\.text).joined()
  }

  /// Whether the last piece is one a repetition operator applies to.
  private var repeatable: Bool {
    switch levels[levels.count - 1].last?.kind {
    case .atom, .repeated, .lineAnchor: true
    case .alternation, .anchor, nil: false
    }
  }

  private mutating func append(_ text: String, _ kind: Kind = .atom) {
    levels[levels.count - 1].append(Piece(text: text, kind: kind))
  }

  /// Translates a character that is not escaped.
  private mutating func plain(_ scalar: Unicode.Scalar) throws(GrepPattern.Failure) {
    switch scalar {
    case "[": try bracketExpression()
    case ".": append(".")
    case "*": repeatLast("*", operator: "*")
    case "^":
      let last = levels[levels.count - 1].last
      if extended {
        append("^", .lineAnchor)
      } else if last == nil || last?.kind == .alternation {
        append("^", .anchor)
      } else {
        append("\\^")
      }
    case "$":
      let rest = scalars[index...]
      if extended || rest.isEmpty || rest.starts(with: ["\\", ")"]) || rest.starts(with: ["\\", "|"]) {
        append("\\z", extended ? .lineAnchor : .anchor)
      } else {
        append("\\$")
      }
    case "+" where extended, "?" where extended: repeatLast(String(scalar), operator: String(scalar))
    case "{" where extended: try interval()
    case "(" where extended: openGroup()
    case ")" where extended && !openGroups.isEmpty: closeGroup()
    case "|" where extended: append("|", .alternation)
    default: append(GrepPattern.literal(scalar))
    }
  }

  /// Translates the character after a backslash.
  private mutating func escaped() throws(GrepPattern.Failure) {
    guard index < scalars.count else { throw GrepPattern.Failure(message: "Trailing backslash") }
    let scalar = scalars[index]
    index += 1
    switch scalar {
    case "(" where !extended: openGroup()
    case ")" where !extended:
      guard !openGroups.isEmpty else { throw GrepPattern.Failure(message: "Unmatched ) or \\)") }
      closeGroup()
    case "|" where !extended: append("|", .alternation)
    case "{" where !extended: try interval()
    case "+" where !extended, "?" where !extended: repeatLast(String(scalar), operator: String(scalar))
    case "1"..."9":
      let number = Int(scalar.value - 48)
      guard closedGroups.contains(number) else { throw GrepPattern.Failure(message: "Invalid back reference") }
      append("\\g{\(number + firstGroup)}")
    case "<": append("\\b(?=\\w)", .anchor)
    case ">": append("\\b(?!\\w)", .anchor)
    case "b", "B": append("\\" + String(scalar), .anchor)
    case "`": append("\\A", .anchor)
    case "'": append("\\z", .anchor)
    case "w", "W", "s", "S": append("\\" + String(scalar))
    default: append(GrepPattern.literal(scalar))
    }
  }

  private mutating func openGroup() {
    groupCount += 1
    openGroups.append(groupCount)
    levels.append([])
  }

  private mutating func closeGroup() {
    let inner = levels.removeLast()
    closedGroups.insert(openGroups.removeLast())
    append("(" + inner.map(\.text).joined() + ")")
  }

  /// Applies a repetition operator to the last piece. Where it cannot apply, a basic pattern takes the operator's
  /// character literally and an extended one ignores it; an extended one warns when no atom precedes it in its
  /// branch.
  private mutating func repeatLast(_ suffix: String, operator name: String) {
    let last = levels.count - 1
    if extended {
      let branch = levels[last].reversed().prefix { $0.kind != .alternation }
      if !branch.contains(where: { $0.kind == .atom || $0.kind == .repeated }) {
        warnings.append("\(name) at start of expression")
      }
    }
    guard repeatable, var piece = levels[last].last else {
      if !extended { append(GrepPattern.escaped(name)) }
      return
    }
    piece.text = piece.kind == .atom ? piece.text + suffix : "(?:" + piece.text + ")" + suffix
    piece.kind = .repeated
    levels[last][levels[last].count - 1] = piece
  }

  /// An interval after `{` (extended) or `\{` (basic).
  private mutating func interval() throws(GrepPattern.Failure) {
    let start = index
    if !repeatable && !extended {
      append("\\{")
      return
    }
    let bounds: Interval
    do {
      bounds = try readInterval()
    } catch {
      guard !repeatable else { throw error }
      bounds = .literal
    }
    switch bounds {
    case .literal:
      index = start
      append("\\{")
    case .bounds(let low, let high):
      let text = high.map { $0 == low ? "{\(low)}" : "{\(low),\($0)}" } ?? "{\(low),}"
      repeatLast(text, operator: "{...}")
    }
  }

  /// glibc's reading of an interval: digits, an optional comma and digits, then the closing brace. An extended
  /// pattern takes a malformed one as a literal `{`; a basic one cannot.
  private mutating func readInterval() throws(GrepPattern.Failure) -> Interval {
    let invalid = GrepPattern.Failure(message: "Invalid content of \\{\\}")
    var (low, stop) = readCount()
    if low == -1 {
      guard stop == "," else { throw invalid }
      low = 0
    }
    var high = -2
    if low != -2 {
      if stop == "}" {
        high = low
      } else if stop == "," {
        (high, stop) = readCount()
      }
    }
    if low == -2 || high == -2 {
      guard extended else { throw stop == nil ? GrepPattern.Failure(message: "Unmatched \\{") : invalid }
      return .literal
    }
    guard stop == "}", high == -1 || low <= high else { throw invalid }
    guard (high == -1 ? low : high) <= Self.largestCount else {
      throw GrepPattern.Failure(message: "Regular expression too big")
    }
    return .bounds(low, high == -1 ? nil : high)
  }

  /// Reads digits up to `,` or the closing brace (returned as `}`; `nil` at the end of the pattern): the number,
  /// -1 when there were no digits, -2 when something else came first.
  private mutating func readCount() -> (Int, Unicode.Scalar?) {
    var number = -1
    while index < scalars.count {
      var scalar = scalars[index]
      index += 1
      var escaped = false
      if scalar == "\\" {
        guard index < scalars.count else { return (-2, nil) }
        scalar = scalars[index]
        index += 1
        escaped = true
      }
      if scalar == "}" && escaped != extended { return (number, "}") }
      if scalar == "," && !escaped { return (number, ",") }
      guard !escaped, number != -2, ("0"..."9").contains(scalar) else {
        number = -2
        continue
      }
      let digit = Int(scalar.value - 48)
      number = number == -1 ? digit : min(Self.largestCount + 1, number * 10 + digit)
    }
    return (-2, nil)
  }

  /// A bracket expression after its `[`, read as glibc reads one.
  private mutating func bracketExpression() throws(GrepPattern.Failure) {
    let badPattern = GrepPattern.Failure(message: "Invalid regular expression")
    let unmatched = GrepPattern.Failure(message: "Unmatched [, [^, [:, [., or [=")
    guard index < scalars.count else { throw badPattern }
    var negated = false
    if scalars[index] == "^" {
      negated = true
      index += 1
      guard index < scalars.count else { throw badPattern }
    }
    var members = ""
    var first = true
    while true {
      let start = try bracketElement(acceptsHyphen: first)
      first = false
      var end: Element?
      switch start {
      case .characterClass, .equivalence: break
      case .character, .collating:
        guard index < scalars.count else { throw unmatched }
        if scalars[index] == "-" {
          guard index + 1 < scalars.count else { throw unmatched }
          if scalars[index + 1] != "]" {
            index += 1
            end = try bracketElement(acceptsHyphen: true)
          }
        }
      }
      if let end {
        members += try range(start, end)
      } else {
        members += try member(start)
      }
      guard index < scalars.count else { throw unmatched }
      if scalars[index] == "]" {
        index += 1
        break
      }
    }
    append("[" + (negated ? "^" : "") + members + "]")
  }

  /// One element of a bracket expression: a character, `[.c.]`, `[=c=]` or `[:class:]`.
  private mutating func bracketElement(acceptsHyphen: Bool) throws(GrepPattern.Failure) -> Element {
    let unmatched = GrepPattern.Failure(message: "Unmatched [, [^, [:, [., or [=")
    let scalar = scalars[index]
    index += 1
    if scalar == "[", index < scalars.count, [".", "=", ":"].contains(scalars[index]) {
      let delimiter = scalars[index]
      index += 1
      var name: [Unicode.Scalar] = []
      while true {
        guard name.count < 32, index + 1 < scalars.count else { throw unmatched }
        let next = scalars[index]
        index += 1
        if next == delimiter && scalars[index] == "]" { break }
        name.append(next)
      }
      index += 1
      switch delimiter {
      case ".": return .collating(name)
      case "=": return .equivalence(name)
      default: return .characterClass(String(String.UnicodeScalarView(name)))
      }
    }
    if scalar == "-", !acceptsHyphen, index >= scalars.count || scalars[index] != "]" {
      throw GrepPattern.Failure(message: "Invalid range end")
    }
    return .character(scalar)
  }

  /// The Swift class members for one element.
  private func member(_ element: Element) throws(GrepPattern.Failure) -> String {
    switch element {
    case .character(let scalar): return GrepPattern.literal(scalar)
    case .collating(let name), .equivalence(let name):
      guard name.count == 1 else { throw GrepPattern.Failure(message: "Invalid collation character") }
      return GrepPattern.literal(name[0])
    case .characterClass(let name):
      switch name {
      case "punct": return "\\p{P}\\p{S}"
      case "lower" where ignoreCase, "upper" where ignoreCase: return "[:lower:][:upper:]"
      case "alpha", "upper", "lower", "digit", "xdigit", "space", "print", "graph", "cntrl", "blank", "alnum":
        return "[:\(name):]"
      default: throw GrepPattern.Failure(message: "Invalid character class name")
      }
    }
  }

  /// The Swift class range for `start-end`.
  private func range(_ start: Element, _ end: Element) throws(GrepPattern.Failure) -> String {
    func endpoint(_ element: Element) throws(GrepPattern.Failure) -> Unicode.Scalar {
      switch element {
      case .character(let scalar): return scalar
      case .collating(let name):
        guard name.count == 1 else { throw GrepPattern.Failure(message: "Invalid collation character") }
        return name[0]
      case .equivalence, .characterClass: throw GrepPattern.Failure(message: "Invalid range end")
      }
    }
    let low = try endpoint(start)
    let high = try endpoint(end)
    guard low <= high else { throw GrepPattern.Failure(message: "Invalid range end") }
    return GrepPattern.literal(low) + "-" + GrepPattern.literal(high)
  }

  /// `scalar` as a literal member of a Swift character class.
}
