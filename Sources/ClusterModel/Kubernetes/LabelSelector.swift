/// A label query over objects: `matchLabels` and `matchExpressions`, as in `metav1.LabelSelector`.
public struct LabelSelector: Codable, Equatable, Sendable {
  public var matchLabels: [String: String]?
  public var matchExpressions: [Requirement]?

  public init(matchLabels: [String: String]? = nil, matchExpressions: [Requirement]? = nil) {
    self.matchLabels = matchLabels
    self.matchExpressions = matchExpressions
  }

  /// One set-based requirement.
  public struct Requirement: Codable, Equatable, Sendable {
    public var key: String
    public var `operator`: Operator
    public var values: [String]?

    public init(key: String, operator: Operator, values: [String]? = nil) {
      self.key = key
      self.operator = `operator`
      self.values = values
    }

    /// Whether `labels` satisfy this requirement.
    public func matches(_ labels: [String: String]) -> Bool {
      switch `operator` {
      case .in: labels[key].map { (values ?? []).contains($0) } ?? false
      case .notIn: labels[key].map { !(values ?? []).contains($0) } ?? true
      case .exists: labels[key] != nil
      case .doesNotExist: labels[key] == nil
      case .equals: labels[key] == values?.first
      case .notEquals: labels[key] != values?.first
      }
    }
  }

  /// A selector operator. `=`/`==`/`!=` come only from the string form (`-l`).
  public enum Operator: String, Codable, Equatable, Sendable {
    case `in` = "In"
    case notIn = "NotIn"
    case exists = "Exists"
    case doesNotExist = "DoesNotExist"
    case equals = "="
    case notEquals = "!="
  }

  /// Whether `labels` satisfy every term. An empty selector matches everything.
  public func matches(_ labels: [String: String]) -> Bool {
    for (key, value) in matchLabels ?? [:] where labels[key] != value { return false }
    return (matchExpressions ?? []).allSatisfy { $0.matches(labels) }
  }

  /// Whether the selector has no terms.
  public var isEmpty: Bool { (matchLabels ?? [:]).isEmpty && (matchExpressions ?? []).isEmpty }
}

extension LabelSelector {
  /// Parses the string form used by `-l`: `app=grpc,tier!=db,env in (a,b),!legacy,version`.
  ///
  /// - Throws: `ClusterError.invalidSelector` with the text that could not be parsed.
  public init(parsing text: String) throws(ClusterError) {
    var requirements: [Requirement] = []
    for term in Self.splitTerms(text) {
      let t = term.trimmingSpaces()
      if t.isEmpty { throw ClusterError.invalidSelector(text) }
      if let range = t.range(of: " notin ") ?? t.range(of: " in ") {
        let key = String(t[..<range.lowerBound]).trimmingSpaces()
        let rest = t[range.upperBound...].trimmingSpaces()
        guard rest.hasPrefix("("), rest.hasSuffix(")"), Self.isLabelKey(key) else {
          throw ClusterError.invalidSelector(text)
        }
        let values = rest.dropFirst().dropLast().split(separator: ",").map { String($0).trimmingSpaces() }
        let op: Operator = t[range].contains("notin") ? .notIn : .in
        requirements.append(Requirement(key: key, operator: op, values: values))
      } else if let index = t.firstIndex(of: "!"), index == t.startIndex {
        let key = String(t.dropFirst())
        guard Self.isLabelKey(key) else { throw ClusterError.invalidSelector(text) }
        requirements.append(Requirement(key: key, operator: .doesNotExist))
      } else if let range = t.range(of: "!=") {
        let key = String(t[..<range.lowerBound])
        let value = String(t[range.upperBound...])
        guard Self.isLabelKey(key), Self.isLabelValue(value) else { throw ClusterError.invalidSelector(text) }
        requirements.append(Requirement(key: key, operator: .notEquals, values: [value]))
      } else if let range = t.range(of: "==") ?? t.range(of: "=") {
        let key = String(t[..<range.lowerBound])
        let value = String(t[range.upperBound...])
        guard Self.isLabelKey(key), Self.isLabelValue(value) else { throw ClusterError.invalidSelector(text) }
        requirements.append(Requirement(key: key, operator: .equals, values: [value]))
      } else {
        guard Self.isLabelKey(t) else { throw ClusterError.invalidSelector(text) }
        requirements.append(Requirement(key: t, operator: .exists))
      }
    }
    self.init(matchExpressions: requirements)
  }

  /// Splits on commas that are not inside parentheses.
  private static func splitTerms(_ text: String) -> [String] {
    var terms: [String] = []
    var current = ""
    var depth = 0
    for character in text {
      switch character {
      case "(": depth += 1; current.append(character)
      case ")": depth -= 1; current.append(character)
      case "," where depth == 0: terms.append(current); current = ""
      default: current.append(character)
      }
    }
    terms.append(current)
    return terms
  }

  static func isLabelKey(_ key: String) -> Bool {
    let parts = key.split(separator: "/", omittingEmptySubsequences: false)
    guard let name = parts.last, parts.count <= 2 else { return false }
    return isQualifiedName(String(name)) && (parts.count == 1 || !parts[0].isEmpty)
  }

  static func isLabelValue(_ value: String) -> Bool {
    value.isEmpty || isQualifiedName(value)
  }

  /// A qualified name of at most 63 characters.
  private static func isQualifiedName(_ name: String) -> Bool {
    name.utf8.count <= 63 && ASCIIName.isQualifiedName(name)
  }
}

extension StringProtocol {
  /// The text without leading and trailing spaces and tabs.
  func trimmingSpaces() -> String {
    var slice = Substring(self)
    while let first = slice.first, first == " " || first == "\t" { slice = slice.dropFirst() }
    while let last = slice.last, last == " " || last == "\t" { slice = slice.dropLast() }
    return String(slice)
  }
}
