import ClusterTools

/// A lab's files by their path in the lab, wherever the learner's workspace is.
private struct EmbeddedLabFiles: FileSource {
  var files: [String: String]

  func contents(of path: String) -> FileContents {
    let match = files.filter { path == $0.key || path.hasSuffix("/" + $0.key) }.max { $0.key.count < $1.key.count }
    return match.map { .file($0.value) } ?? .missing
  }
}

/// The labs built into grpclab, decoded from the embedded `Labs/` folder.
public enum LabCatalog {
  /// The lab a new workspace opens when none is named.
  public static let defaultLab = "grpc-lb"

  /// The ids of the embedded labs, sorted.
  public static var ids: [String] {
    Set(EmbeddedLabs.files.keys.compactMap { $0.split(separator: "/").first.map(String.init) }).sorted()
  }

  /// The lab with `id`.
  ///
  /// - Throws: `LabError.unknownLab`, or `LabError.invalidLab` when its `lab.yaml` does not decode.
  public static func lab(_ id: String) throws(LabError) -> Lab {
    guard let json = EmbeddedLabs.labs[id] else { throw .unknownLab(id) }
    return try Lab(json: json, source: "Labs/\(id)/lab.yaml")
  }

  /// The lab's embedded files, as a learner's workspace holds them (any folder; only the path in the lab counts).
  public static func fileSource(of lab: Lab) -> any FileSource {
    EmbeddedLabFiles(files: Dictionary(files(of: lab), uniquingKeysWith: { a, _ in a }))
  }

  /// The files a new workspace of lab `id` starts with, by name.
  public static func files(of lab: Lab) -> [(name: String, contents: String)] {
    lab.files.compactMap { name in EmbeddedLabs.files["\(lab.id)/\(name)"].map { (name, $0) } }
  }

  /// The lab's demos (`demos/NAME.demo`), by name, in name order.
  public static func demos(of lab: Lab) -> [(name: String, script: String)] {
    let folder = "\(lab.id)/demos/"
    return EmbeddedLabs.files.filter { $0.key.hasPrefix(folder) && $0.key.hasSuffix(".demo") }
      .map { (String($0.key.dropFirst(folder.count).dropLast(".demo".count)), $0.value) }
      .sorted { $0.name < $1.name }
  }
}
