import ClusterTools

/// A lab on disk, as `lint` and `dev check` take it: a folder holding `lab.yaml`, or that file itself.
struct LabFolder {
  /// The folder, absolute.
  var folder: String
  /// The `lab.yaml` as the user named it (or the folder they named, and `lab.yaml` in it).
  var shown: String
  /// The text of `lab.yaml`.
  var yaml: String

  /// Why a path names no lab on disk, in one line.
  struct Problem: Error {
    var message: String
  }

  /// The lab at `path`, relative to the working directory of `environment`.
  ///
  /// - Throws: A path that is missing, unreadable, or a folder without `lab.yaml`.
  init(_ path: String, environment: GrpcLabEnvironment) throws(Problem) {
    let absolute = environment.absolute(path)
    var folder = absolute
    var file = absolute
    switch environment.files.contents(of: absolute) {
    case .directory:
      file = absolute + "/lab.yaml"
    case .file:
      folder = absolute.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
    case .missing:
      throw Problem(message: "no such file or folder '\(path)'")
    case .unreadable(let reason):
      throw Problem(message: "cannot read '\(path)': \(reason)")
    }
    guard case .file(let yaml) = environment.files.contents(of: file) else { throw Problem(message: "no lab.yaml in '\(path)'") }
    self.folder = folder
    self.yaml = yaml
    shown = file == absolute ? path : (path.hasSuffix("/") ? path : path + "/") + "lab.yaml"
  }
}
