import ClusterModel
import Foundation
internal import Yams

/// Renders API objects as `-o yaml` and `-o json` do: keys sorted, lists wrapped in `kind: List`.
enum ObjectEncoding {
  /// One object, or a `List` of several, as YAML.
  static func yaml(_ objects: [APIObject], asList: Bool) -> String {
    let encoder = YAMLEncoder()
    encoder.options.sortKeys = true
    if asList {
      return (try? encoder.encode(ObjectList(items: objects.map(AnyEncodable.init)))) ?? ""
    }
    return objects.compactMap { try? encoder.encode(AnyEncodable($0)) }.joined(separator: "---\n")
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
