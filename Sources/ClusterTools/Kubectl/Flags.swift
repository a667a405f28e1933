/// Parsed `oc` flags and positional arguments, in cobra's grammar: `-n x`, `-nx`, `--namespace=x`,
/// `--namespace x`, combined short booleans (`-it`), and `--` ending the flags.
struct Flags: Equatable, Sendable {
  /// Flag values by canonical long name; booleans hold `"true"`; repeatable flags keep every value.
  private(set) var values: [String: [String]] = [:]
  /// Positional arguments before `--`.
  private(set) var positional: [String] = []
  /// Arguments after `--`.
  private(set) var command: [String] = []
  /// Whether `--` appeared.
  private(set) var sawDashDash = false

  /// A flag's long name, short letter, and whether it takes a value.
  typealias Spec = (long: String, short: Character?, takesValue: Bool)

  /// The flags of `oc` and `kubectl`.
  static let table: [Spec] = [
    ("namespace", "n", true), ("all-namespaces", "A", false), ("selector", "l", true), ("output", "o", true),
    ("show-labels", nil, false), ("filename", "f", true), ("dry-run", nil, true), ("recursive", "R", false),
    ("all", nil, false), ("grace-period", nil, true), ("force", nil, false), ("wait", nil, true),
    ("container", "c", true), ("tail", nil, true), ("timestamps", nil, false), ("follow", "f", false),
    ("previous", "p", false), ("stdin", "i", false), ("tty", "t", false), ("replicas", nil, true),
    ("overwrite", nil, false), ("display-name", nil, true), ("description", nil, true),
    ("skip-config-write", nil, false), ("short", "q", false), ("from-file", nil, true), ("from-literal", nil, true),
    ("cert", nil, true), ("key", nil, true), ("type", nil, true), ("watch", "w", false), ("prefix", nil, false),
    ("max-log-requests", nil, true), ("no-headers", nil, false),
  ]

  /// The flags whose values are Go integers, which cobra parses as it reads them.
  static let integers: Set<String> = ["replicas", "tail", "grace-period", "max-log-requests"]

  /// Parses `oc` arguments, accepting `allowed` flags (and `--namespace`).
  init(parsing arguments: [String], allowed: Set<String>) throws(KubectlError) {
    try self.init(parsing: arguments, flags: Self.table.filter { allowed.contains($0.long) || $0.long == "namespace" })
  }

  /// Parses arguments of another cobra program with its own flags.
  init(parsing arguments: [String], flags known: [Spec]) throws(KubectlError) {
    var index = 0
    while index < arguments.count {
      let argument = arguments[index]
      index += 1
      if argument == "--" {
        sawDashDash = true
        command = Array(arguments[index...])
        return
      }
      if argument.hasPrefix("--") {
        let body = argument.dropFirst(2)
        let name = String(body.prefix { $0 != "=" })
        let inline = body.contains("=") ? String(body.drop { $0 != "=" }.dropFirst()) : nil
        guard let flag = known.first(where: { $0.long == name }) else { throw KubectlError(unknownFlag: "--\(name)") }
        if flag.takesValue {
          if let inline {
            append(flag.long, inline)
          } else if flag.long == "dry-run" {
            append(flag.long, "client")
          } else {
            guard index < arguments.count else { throw KubectlError("flag needs an argument: --\(name)") }
            append(flag.long, arguments[index])
            index += 1
          }
          if Self.integers.contains(flag.long), let value = value(flag.long) {
            do { _ = try GoNumbers.integer(value) } catch {
              throw KubectlError(Self.invalidArgument(value, for: flag, "strconv.ParseInt", error))
            }
          }
        } else if let inline {
          try appendBool(inline, to: flag)
        } else {
          append(flag.long, "true")
        }
      } else if argument.hasPrefix("-") && argument.count > 1 {
        var letters = Substring(argument.dropFirst())
        while let letter = letters.first {
          letters = letters.dropFirst()
          guard let flag = known.first(where: { $0.short == letter }) else {
            throw KubectlError(unknownFlag: "-\(letter)", message: "unknown shorthand flag: '\(letter)' in \(argument)")
          }
          if !flag.takesValue, letters.first == "=" {
            try appendBool(String(letters.dropFirst()), to: flag)
            break
          }
          if flag.takesValue {
            var value = String(letters.first == "=" ? letters.dropFirst() : letters)
            if value.isEmpty {
              guard index < arguments.count else {
                throw KubectlError("flag needs an argument: '\(letter)' in -\(letter)")
              }
              value = arguments[index]
              index += 1
            }
            append(flag.long, value)
            break
          }
          append(flag.long, "true")
        }
      } else {
        positional.append(argument)
      }
    }
  }

  private mutating func append(_ name: String, _ value: String) {
    values[name, default: []].append(value)
  }

  /// Appends a boolean flag's value given after `=`, which must parse as Go's `strconv.ParseBool`.
  private mutating func appendBool(_ text: String, to flag: Spec) throws(KubectlError) {
    do {
      append(flag.long, try GoNumbers.bool(text) ? "true" : "false")
    } catch {
      throw KubectlError(Self.invalidArgument(text, for: flag, "strconv.ParseBool", error))
    }
  }

  /// pflag's words for a value its flag cannot hold: the flag named with its shorthand when it has one.
  private static func invalidArgument(_ value: String, for flag: Spec, _ function: String, _ problem: GoNumbers.Problem) -> String {
    let name = flag.short.map { "-\($0), --\(flag.long)" } ?? "--\(flag.long)"
    return "invalid argument \"\(value)\" for \"\(name)\" flag: \(function): parsing \"\(value)\": \(problem.rawValue)"
  }

  /// The last value of a flag.
  func value(_ name: String) -> String? { values[name]?.last }

  /// The last value of an integer flag (`integers`), which parsing checked.
  func integer(_ name: String) -> Int? { value(name).flatMap { try? GoNumbers.integer($0) } }

  /// Every value of a repeatable flag.
  func all(_ name: String) -> [String] { values[name] ?? [] }

  /// Whether a boolean flag is set (and not `=false`).
  func isSet(_ name: String) -> Bool { values[name].map { $0.last != "false" } ?? false }
}
