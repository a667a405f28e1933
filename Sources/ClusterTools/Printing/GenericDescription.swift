/// kubectl's generic describer, for the kinds it has no describer of its own for (custom resources): every
/// field of the object, keys sorted, labelled as `smartLabelFor` labels them (`API Version`, `Creation
/// Timestamp`), nested by two spaces a level.
enum GenericDescription {
  /// The lines after `Name`, `Namespace`, `Labels` and `Annotations`, with tabs for kubectl's tab writer.
  static func lines(of object: JSONValue) -> [String] {
    var lines: [String] = []
    guard case .object(let fields) = object else { return lines }
    let skipped: Set<String> = [".metadata.managedFields", ".metadata.name", ".metadata.namespace", ".metadata.labels", ".metadata.annotations"]
    write(fields, level: 0, path: "", skipped: skipped, into: &lines)
    return lines
  }

  private static func write(_ fields: [String: JSONValue], level: Int, path: String, skipped: Set<String>, into lines: inout [String]) {
    let indent = String(repeating: "  ", count: level)
    for key in fields.keys.sorted() {
      let here = path + "." + key
      guard !skipped.contains(here), let value = fields[key] else { continue }
      switch value {
      case .object(let nested):
        lines.append("\(indent)\(label(key)):")
        write(nested, level: level + 1, path: here, skipped: skipped, into: &lines)
      case .array(let items):
        lines.append("\(indent)\(label(key)):")
        for item in items {
          if case .object(let nested) = item {
            write(nested, level: level + 1, path: here, skipped: skipped, into: &lines)
          } else {
            lines.append("\(indent)  \(item.goDescription)")
          }
        }
      default:
        lines.append("\(indent)\(label(key)):\t\(value.goDescription)")
      }
    }
  }

  /// `smartLabelFor`: a field name of letters and `-` split at its case changes into capitalised words, with
  /// common acronyms in capitals; any other field name as it is.
  static func label(_ field: String) -> String {
    guard field.allSatisfy({ $0.isLetter || $0 == "-" }) else { return field }
    let acronyms: Set<String> = ["API", "URL", "UID", "OSB", "GUID"]
    return camelCaseWords(field).map { part in
      acronyms.contains(part.uppercased()) ? part.uppercased() : part.prefix(1).uppercased() + part.dropFirst()
    }.joined(separator: " ")
  }

  /// `github.com/fatih/camelcase`'s `Split`: runs of lower case, upper case, digits and anything else, with
  /// the last capital of a run moved to the lower-case run after it (`PDFLoader`: `PDF`, `Loader`).
  private static func camelCaseWords(_ text: String) -> [String] {
    func kind(_ character: Character) -> Int {
      character.isLowercase ? 1 : character.isUppercase ? 2 : character.isNumber ? 3 : 4
    }
    var runs: [[Character]] = []
    var last = 0
    for character in text {
      let current = kind(character)
      if current == last, !runs.isEmpty { runs[runs.count - 1].append(character) } else { runs.append([character]) }
      last = current
    }
    var index = 0
    while index < runs.count - 1 {
      if let first = runs[index].first, first.isUppercase, let next = runs[index + 1].first, next.isLowercase,
        let moved = runs[index].popLast()
      {
        runs[index + 1].insert(moved, at: 0)
      }
      index += 1
    }
    return runs.filter { !$0.isEmpty }.map { String($0) }
  }
}
