import ClusterModel
import Foundation
internal import Yams

/// Renders API objects as `-o yaml` and `-o json` do: keys sorted, lists wrapped in `kind: List`.
enum ObjectEncoding {
  /// One object, or a `List` of several, as YAML in kubectl's style: keys sorted, multi-line strings as
  /// literal blocks (`|`), and strings that would read as another type (`"2023-05-19T15:21:29Z"`) in
  /// double quotes.
  static func yaml(_ objects: [APIObject], asList: Bool) -> String {
    if asList { return kubectlYAML(ObjectList(items: objects.map(AnyEncodable.init))) }
    return objects.map { kubectlYAML(AnyEncodable($0)) }.joined(separator: "---\n")
  }

  /// A JSON value as kubectl's YAML: what a client-side object (`--dry-run=client`) prints as.
  static func yaml(_ value: JSONValue) -> String {
    kubectlYAML(value)
  }

  /// Encodes through JSON (sorted keys), then restyles the scalars and emits YAML.
  private static func kubectlYAML(_ value: some Encodable) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    guard let data = try? encoder.encode(value), let json = String(data: data, encoding: .utf8),
      let node = try? Yams.compose(yaml: json)
    else { return "" }
    return (try? Yams.serialize(node: restyled(node), allowUnicode: true)) ?? ""
  }

  /// Block style for collections; plain, literal or double-quoted strings as go-yaml chooses them.
  private static func restyled(_ node: Node) -> Node {
    switch node {
    case .mapping(let mapping):
      return .mapping(Node.Mapping(mapping.map { (restyled($0.key), restyled($0.value)) }, mapping.tag, .block))
    case .sequence(var sequence):
      sequence.style = .block
      for index in sequence.indices { sequence[index] = restyled(sequence[index]) }
      return .sequence(sequence)
    case .scalar(var scalar):
      guard scalar.style == .doubleQuoted else { return node }
      if scalar.string.contains("\n") {
        scalar.style = .literal
      } else {
        let plain = Node.Scalar(scalar.string, Tag(.implicit), .plain)
        let resolved = Resolver.default.resolveTag(of: .scalar(plain))
        scalar.style = resolved == .str && !scalar.string.isEmpty ? .plain : .doubleQuoted
      }
      scalar.tag = Tag(.str)
      return .scalar(scalar)
    case .alias:
      return node
    }
  }

  /// One object, or a `List` of several, as kubectl's JSON (4-space indent).
  static func json(_ objects: [APIObject], asList: Bool) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data: Data?
    if asList || objects.count != 1 {
      data = try? encoder.encode(ObjectList(items: objects.map(AnyEncodable.init)))
    } else {
      data = try? encoder.encode(AnyEncodable(objects[0]))
    }
    let text = data.flatMap { String(data: $0, encoding: .utf8) } ?? ""
    return reindent(text) + "\n"
  }

  /// One object, or a `List` of several, as the JSON value kubectl's printers walk.
  static func value(_ objects: [APIObject], asList: Bool) -> JSONValue {
    JSONValue(json: json(objects, asList: asList)) ?? .null
  }

  /// Compact JSON with sorted keys, as kubectl stores `last-applied-configuration`.
  static func compactJSON(_ object: APIObject) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return (try? encoder.encode(AnyEncodable(object))).flatMap { String(data: $0, encoding: .utf8) } ?? "{}"
  }

  /// Doubles leading indentation: Foundation indents JSON by 2 spaces, kubectl by 4.
  private static func reindent(_ text: String) -> String {
    text.components(separatedBy: "\n").map { line in
      let spaces = line.prefix { $0 == " " }.count
      return String(repeating: " ", count: spaces * 2) + line.dropFirst(spaces)
    }.joined(separator: "\n").replacingOccurrences(of: "\" : ", with: "\": ")
  }

  private struct ObjectList: Encodable {
    var apiVersion = "v1"
    var items: [AnyEncodable]
    var kind = "List"
    var metadata = ["resourceVersion": ""]
  }

  private struct AnyEncodable: Encodable {
    var object: APIObject
    init(_ object: APIObject) { self.object = object }
    func encode(to encoder: any Encoder) throws { try object.encodable.encode(to: encoder) }
  }
}
