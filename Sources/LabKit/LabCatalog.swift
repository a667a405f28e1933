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
    guard let yaml = EmbeddedLabs.files["\(id)/lab.yaml"] else { throw .unknownLab(id) }
    return try Lab(yaml: yaml, source: "Labs/\(id)/lab.yaml")
  }

  /// The files a new workspace of lab `id` starts with, by name.
  public static func files(of lab: Lab) -> [(name: String, contents: String)] {
    lab.files.compactMap { name in EmbeddedLabs.files["\(lab.id)/\(name)"].map { (name, $0) } }
  }
}
