import ClusterTools
import Foundation
import Testing

@testable import LabKit

/// `EmbeddedLabs.swift` is generated from `Labs/`; this test fails when it is stale and regenerates it
/// when `GRPCLAB_RECORD=1`.
@Suite struct EmbeddedLabsTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static func generated() throws -> String {
    let labs = root.appendingPathComponent("Labs")
    let enumerator = FileManager.default.enumerator(atPath: labs.path)
    var paths: [String] = []
    while let path = enumerator?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      _ = FileManager.default.fileExists(atPath: labs.appendingPathComponent(path).path, isDirectory: &isDirectory)
      if !isDirectory.boolValue && path != "README.md" { paths.append(path) }
    }
    var lines = [
      "// Generated from Labs/ by `GRPCLAB_RECORD=1 swift test --filter EmbeddedLabsTests`. Do not edit.", "",
      "/// The lab files, compiled in so the binary works from any directory.", "enum EmbeddedLabs {",
      "  /// Every file under `Labs/`, by its path relative to that folder.", "  static let files: [String: String] = [",
    ]
    for path in paths.sorted() {
      let text = try String(contentsOf: labs.appendingPathComponent(path), encoding: .utf8)
      lines.append("    \"\(path)\": ##\"\"\"")
      for line in text.dropLast(text.hasSuffix("\n") ? 1 : 0).split(separator: "\n", omittingEmptySubsequences: false) {
        lines.append(line.isEmpty ? "" : "      " + line)
      }
      lines += ["", "      \"\"\"##,"]
    }
    lines += [
      "  ]", "",
      "  /// Each lab's `lab.yaml` decoded and encoded as JSON, by lab id: a lab loads from it many times faster.",
      "  static let labs: [String: String] = [",
    ]
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    for path in paths.sorted() where path.hasSuffix("/lab.yaml") {
      let id = String(path.dropLast("/lab.yaml".count))
      let lab = try Lab(yaml: String(contentsOf: labs.appendingPathComponent(path), encoding: .utf8), source: "Labs/" + path)
      lines.append("    \"\(id)\": ##\"\"\"")
      lines.append("      " + String(decoding: try encoder.encode(lab), as: UTF8.self))
      lines.append("      \"\"\"##,")
    }
    lines += ["  ]", "}"]
    return lines.joined(separator: "\n") + "\n"
  }

  @Test func embeddedLabsMatchTheLabsFolder() throws {
    let target = Self.root.appendingPathComponent("Sources/LabKit/EmbeddedLabs.swift")
    let expected = try Self.generated()
    if ProcessInfo.processInfo.environment["GRPCLAB_RECORD"] == "1" {
      try expected.write(to: target, atomically: true, encoding: .utf8)
      return
    }
    #expect(try String(contentsOf: target, encoding: .utf8) == expected, "run GRPCLAB_RECORD=1 swift test --filter EmbeddedLabsTests")
  }

  @Test func everyEmbeddedLabIsItsLabYAML() throws {
    for id in LabCatalog.ids {
      let yaml = try #require(EmbeddedLabs.files["\(id)/lab.yaml"])
      #expect(try LabCatalog.lab(id) == Lab(yaml: yaml, source: id))
    }
  }

  @Test func everyLabDecodesWithTextsInBothLanguages() throws {
    for id in LabCatalog.ids {
      let lab = try LabCatalog.lab(id)
      #expect(LabCatalog.files(of: lab).count == lab.files.count)
      for step in lab.steps {
        let texts = [step.title, step.text, step.explain] + step.hints + step.checks.map(\.text)
        #expect(texts.allSatisfy { $0.zh != nil }, "step \(step.id) lacks Chinese text")
      }
    }
  }
}
