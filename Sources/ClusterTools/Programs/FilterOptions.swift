/// A text filter's arguments read the way GNU `getopt_long` reads them: clustered short options (`-ic`, `-A3`,
/// `-nA 2`), long options with `=VALUE` or a separate value and unambiguous abbreviations (`--max-c=1`), operands
/// anywhere among the options (`grep foo -c`), and `--` ending the options.
struct FilterOptions {
  /// One option a program accepts.
  struct Spec {
    /// The name the program knows the option by.
    let key: String
    let short: Character?
    let long: String?
    let takesValue: Bool

    init(_ key: String, short: Character? = nil, long: String? = nil, takesValue: Bool = false) {
      self.key = key
      self.short = short
      self.long = long
      self.takesValue = takesValue
    }

    /// The ten digit options (`-5`), all under the key `digit`.
    static let digits = "0123456789".map { Spec("digit", short: $0) }
  }

  /// One option as given.
  struct Occurrence: Equatable {
    let key: String
    let value: String?
    /// The short letter as typed, for a short option.
    let letter: Character?
    /// Which argument the option was found in.
    let argument: Int
  }

  /// A malformed option, in getopt's words.
  enum Failure: Error, Equatable {
    case invalid(Character)
    case missingValue(Character)
    case unrecognized(String)
    case ambiguous(String, [String])
    case needsValue(String)
    case takesNoValue(String)

    /// The message after `PROGRAM: `.
    var message: String {
      switch self {
      case .invalid(let letter): "invalid option -- '\(letter)'"
      case .missingValue(let letter): "option requires an argument -- '\(letter)'"
      case .unrecognized(let argument): "unrecognized option '\(argument)'"
      case .ambiguous(let argument, let names):
        "option '\(argument)' is ambiguous; possibilities:" + names.map { " '--\($0)'" }.joined()
      case .needsValue(let name): "option '--\(name)' requires an argument"
      case .takesNoValue(let name): "option '--\(name)' doesn't allow an argument"
      }
    }
  }

  private(set) var occurrences: [Occurrence] = []
  private(set) var operands: [String] = []
  /// The first malformed option; the occurrences before it stand, as getopt hands them over first.
  private(set) var failure: Failure?

  init(_ arguments: [String], specs: [Spec]) {
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      let position = index
      index += 1
      if argument == "--" {
        operands += arguments[index...]
        return
      }
      do {
        if argument.hasPrefix("--") {
          try readLong(argument, at: position, specs: specs, arguments: arguments, index: &index)
        } else if argument.hasPrefix("-"), argument.count > 1 {
          try readShort(argument, at: position, specs: specs, arguments: arguments, index: &index)
        } else {
          operands.append(argument)
        }
      } catch {
        failure = error
        return
      }
    }
  }

  /// Reads `--name`, `--name=value` or `--name value`.
  private mutating func readLong(
    _ argument: String, at position: Int, specs: [Spec], arguments: [String], index: inout Int
  ) throws(Failure) {
    let body = argument.dropFirst(2)
    let name = body.prefix { $0 != "=" }
    let inline = name.count < body.count ? String(body.dropFirst(name.count + 1)) : nil
    let named = specs.filter { $0.long != nil }
    let spec: Spec
    if let exact = named.first(where: { $0.long == String(name) }) {
      spec = exact
    } else {
      let candidates = named.filter { $0.long?.hasPrefix(name) == true }
      guard let first = candidates.first else { throw .unrecognized(argument) }
      guard candidates.allSatisfy({ $0.key == first.key && $0.takesValue == first.takesValue }) else {
        throw .ambiguous(argument, candidates.compactMap(\.long))
      }
      spec = first
    }
    let long = spec.long ?? String(name)
    var value: String?
    if spec.takesValue {
      if let inline {
        value = inline
      } else {
        guard index < arguments.count else { throw .needsValue(long) }
        value = arguments[index]
        index += 1
      }
    } else if inline != nil {
      throw .takesNoValue(long)
    }
    occurrences.append(Occurrence(key: spec.key, value: value, letter: nil, argument: position))
  }

  /// Reads a cluster of short options, the last of which may take the rest of the cluster or the next argument.
  private mutating func readShort(
    _ argument: String, at position: Int, specs: [Spec], arguments: [String], index: inout Int
  ) throws(Failure) {
    var letters = argument.dropFirst()
    while let letter = letters.first {
      letters = letters.dropFirst()
      guard let spec = specs.first(where: { $0.short == letter }) else { throw .invalid(letter) }
      var value: String?
      if spec.takesValue {
        if !letters.isEmpty {
          value = String(letters)
          letters = ""
        } else {
          guard index < arguments.count else { throw .missingValue(letter) }
          value = arguments[index]
          index += 1
        }
      }
      occurrences.append(Occurrence(key: spec.key, value: value, letter: letter, argument: position))
    }
  }
}
