import ClusterModel
import Testing

@testable import ClusterTools

/// A file decodes to the same objects and errors each time, kept or not, and its errors name the file they
/// were read from.
@Suite struct ManifestsTests {
  static let broken = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n---\nkind: Widget\napiVersion: v1\nmetadata:\n  name: two\n"

  @Test func aFileDecodesTheSameWhenReadAgain() {
    let first = Kubectl.decode(Self.broken, source: "a.yaml")
    let again = Kubectl.decode(Self.broken, source: "a.yaml")
    #expect(first.objects.map(\.metadata.name) == ["one"])
    #expect(again.objects == first.objects)
    #expect(again.errors.map(\.alone) == first.errors.map(\.alone))
  }

  @Test func theSameTextFromAnotherFileNamesThatFile() {
    let first = Kubectl.decode(Self.broken, source: "a.yaml")
    let other = Kubectl.decode(Self.broken, source: "b.yaml")
    #expect(first.errors.map(\.alone) == [Self.widgetError(in: "a.yaml")])
    #expect(other.errors.map(\.alone) == [Self.widgetError(in: "b.yaml")])
  }

  @Test func textsThatDifferOnlyInHowAnAccentIsEncodedDecodeToTheirOwnBytes() throws {
    func configMap(_ value: String) -> String { "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: caf\ndata:\n  word: \(value)\n" }
    for value in ["caf\u{E9}", "cafe\u{301}"] {
      let decoded = Kubectl.decode(configMap(value), source: "accent.yaml")
      guard case .configMap(let map) = try #require(decoded.objects.first) else {
        Issue.record("not a ConfigMap")
        continue
      }
      #expect(Array(map.data?["word"]?.utf8 ?? "".utf8) == Array(value.utf8))
    }
  }

  @Test func aFileTooLargeToKeepDecodesAlike() {
    let large = Self.broken + "---\n" + String(repeating: "# padding\n", count: 8_000)
    #expect(large.utf8.count > 64 * 1024)
    #expect(Kubectl.decode(large, source: "c.yaml").objects == Kubectl.decode(Self.broken, source: "c.yaml").objects)
  }

  static func widgetError(in source: String) -> String {
    "error: resource mapping not found for name: \"two\" namespace: \"\" from \"\(source)\": no matches for kind \"Widget\" in version \"v1\"\nensure CRDs are installed first"
  }
}
