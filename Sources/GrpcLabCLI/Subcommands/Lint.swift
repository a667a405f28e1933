import ArgumentParser
import ClusterTools
import LabKit

extension GrpcLab {
  /// `grpclab lint PATH`: the problems in a lab folder's `lab.yaml` and demos, or in one demo file, one
  /// per line with its place.
  struct Lint: Executable {
    static let configuration = CommandConfiguration(
      commandName: "lint",
      abstract: "Check a lab's lab.yaml (keys, translations, commands, checks) and its demos.")

    @Argument(help: "A lab folder, its lab.yaml, or a .demo file.")
    var path: String

    @Option(help: "The lab a .demo file outside a lab's demos folder plays in, as 'grpclab demo --lab' (default: grpc-lb).")
    var lab: String?

    func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      let verbs = Set(GrpcLab.configuration.subcommands.map { $0._commandName }).union(REPL.builtins)
      if path.hasSuffix(".demo") { return try lintDemo(verbs: verbs, environment) }
      if self.lab != nil { throw .usage("lint: --lab is for a .demo file; a lab folder's demos play in its own lab") }
      let lab: LabFolder
      do {
        lab = try LabFolder(path, environment: environment)
      } catch {
        environment.writeError("grpclab: lint: \(error.message)\n")
        return 2
      }
      let (folder, shown, yaml) = (lab.folder, lab.shown, lab.yaml)
      var problems = LabLint.problems(yaml: yaml, path: shown) { name in
        environment.files.contents(of: folder + "/" + name) != .missing
      }
      let steps = (try? Lab(yaml: yaml, source: shown))?.steps.count ?? Int.max
      if case .directory(let names) = environment.files.contents(of: folder + "/demos") {
        let prefix = String(shown.dropLast("lab.yaml".count)) + "demos/"
        for name in names.sorted() where name.hasSuffix(".demo") {
          guard case .file(let script) = environment.files.contents(of: folder + "/demos/" + name) else { continue }
          problems += LabLint.demoProblems(script: script, path: prefix + name, steps: steps, verbs: verbs)
        }
      }
      return Self.report(problems, for: shown, environment)
    }

    /// Lints one demo file; its steps are those of the `lab.yaml` beside its `demos` folder, when there is one,
    /// else those of the lab it plays in (`--lab`, or the default lab), as `grpclab demo` plays it.
    private func lintDemo(verbs: Set<String>, _ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
      let absolute = environment.absolute(path)
      guard case .file(let script) = environment.files.contents(of: absolute) else {
        environment.writeError("grpclab: lint: no such file '\(path)'\n")
        return 2
      }
      let folders = absolute.split(separator: "/", omittingEmptySubsequences: false).dropLast()
      let labFile = folders.dropLast().joined(separator: "/") + "/lab.yaml"
      let steps: Int
      if folders.last == "demos", case .file(let yaml) = environment.files.contents(of: labFile),
        let lab = try? Lab(yaml: yaml, source: labFile)
      {
        steps = lab.steps.count
      } else {
        do { steps = try LabCatalog.lab(lab ?? LabCatalog.defaultLab).steps.count } catch { throw .lab(error) }
      }
      return Self.report(LabLint.demoProblems(script: script, path: path, steps: steps, verbs: verbs), for: path, environment)
    }

    /// Prints the problems found in `shown`, or that there are none; exits 1 when there are some.
    private static func report(_ problems: [String], for shown: String, _ environment: GrpcLabEnvironment) -> Int32 {
      if problems.isEmpty {
        environment.write("✔ \(shown): no problems\n")
        return 0
      }
      environment.write(problems.map { $0 + "\n" }.joined())
      return 1
    }
  }
}
