/// Command-line flags as Go's `flag` package reads them: `-name`, `--name`, `-name=value`, `-name value`;
/// the first argument that is not a flag, or `--`, ends the flags.
struct GoFlags {
  /// Flags that take a value.
  let valued: Set<String>
  let booleans: Set<String>
  /// Valued flags whose value must parse as a number, and those that must parse as a whole number.
  let numeric: Set<String>
  var integers: Set<String> = []

  /// The flags as given, and the arguments after them.
  struct Parsed {
    var values: [String: [String]] = [:]
    var arguments: [String] = []

    func has(_ name: String) -> Bool { values[name]?.last.map { $0 != "false" } ?? false }
    func value(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
  }

  /// Why the flags were refused, in the `flag` package's words.
  struct Failure: Error, Equatable {
    var message: String
    /// `-h` or `-help` where the program defines neither: the `flag` package prints the usage alone and the
    /// program exits 0.
    var isHelp = false
  }

  func parse(_ arguments: [String]) -> Result<Parsed, Failure> {
    var parsed = Parsed()
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      guard argument.count > 1, argument.hasPrefix("-") else { break }
      index += 1
      if argument == "--" { break }
      let body = argument.hasPrefix("--") ? argument.dropFirst(2) : argument.dropFirst()
      let name = String(body.prefix { $0 != "=" })
      let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
      if booleans.contains(name) {
        let value = inline ?? "true"
        guard let flag = Self.goBool[value] else {
          return .failure(Failure(message: "invalid boolean value \"\(value)\" for -\(name): parse error"))
        }
        parsed.values[name, default: []].append(flag ? "true" : "false")
      } else if valued.contains(name) {
        let value: String
        if let inline {
          value = inline
        } else {
          guard index < arguments.count else { return .failure(Failure(message: "flag needs an argument: -\(name)")) }
          value = arguments[index]
          index += 1
        }
        if numeric.contains(name) && Double(value).map({ $0.isFinite }) != true || integers.contains(name) && Int(value) == nil {
          return .failure(Failure(message: "invalid value \"\(value)\" for flag -\(name): parse error"))
        }
        parsed.values[name, default: []].append(value)
      } else if name == "h" || name == "help" {
        return .failure(Failure(message: "", isHelp: true))
      } else {
        return .failure(Failure(message: "flag provided but not defined: -\(name)"))
      }
    }
    parsed.arguments = Array(arguments[index...])
    return .success(parsed)
  }

  /// The spellings Go's `strconv.ParseBool` accepts.
  private static let goBool = [
    "1": true, "t": true, "T": true, "TRUE": true, "true": true, "True": true,
    "0": false, "f": false, "F": false, "FALSE": false, "false": false, "False": false,
  ]
}

extension GoFlags {
  /// One flag as Go's `flag.PrintDefaults` describes it.
  struct Doc {
    var name: String
    /// The type word the listing shows (`string`, `float`, `int`, `value`); empty for a boolean.
    var type: String
    var usage: String
    /// The default the listing appends, as Go formats it, when it is not the type's zero value.
    var defaultValue: String?

    init(_ name: String, _ type: String, _ usage: String, default defaultValue: String? = nil) {
      self.name = name
      self.type = type
      self.usage = usage
      self.defaultValue = defaultValue
    }
  }

  /// The flags `docs` describes: booleans have no type word, `float` and `int` flags take numbers.
  init(documented docs: [Doc]) {
    self.init(
      valued: Set(docs.filter { !$0.type.isEmpty }.map(\.name)), booleans: Set(docs.filter { $0.type.isEmpty }.map(\.name)),
      numeric: Set(docs.filter { ["float", "int"].contains($0.type) }.map(\.name)),
      integers: Set(docs.filter { $0.type == "int" }.map(\.name)))
  }

  /// The flags as `flag.PrintDefaults` lists them: sorted by name, a one-letter boolean's usage on its own
  /// line, every other usage line indented under the flag.
  static func defaults(_ docs: [Doc]) -> String {
    docs.sorted { $0.name < $1.name }.map { doc in
      let head = "  -" + doc.name + (doc.type.isEmpty ? "" : " " + doc.type)
      let usage = doc.usage.replacingOccurrences(of: "\n", with: "\n    \t")
      let fallback = doc.defaultValue.map { " (default \($0))" } ?? ""
      return head + (head.count <= 4 ? "\t" : "\n    \t") + usage + fallback + "\n"
    }.joined()
  }
}
