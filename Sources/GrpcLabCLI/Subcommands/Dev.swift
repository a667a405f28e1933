import ArgumentParser
import ClusterTools
import LabKit

extension GrpcLab {
  /// `grpclab dev`: tools for lab authors.
  struct Dev: ParsableCommand {
    static let configuration = CommandConfiguration(
      commandName: "dev", abstract: "Tools for lab authors.", subcommands: [SelfCheck.self])

    /// `grpclab dev check [LAB]`: every step's checks fail before its solution and pass after it, in
    /// fresh workspaces; every text exists in every language. LAB is a built-in lab's id, or a lab folder
    /// (or its `lab.yaml`) whose solutions read their files from that folder.
    struct SelfCheck: Executable {
      static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Check that every step of a lab is solvable and translated.")

      @Argument(help: "A built-in lab, or a lab folder or its lab.yaml (default: every built-in lab).")
      var lab: String?

      @Option(help: "How many fresh workspaces (seeds 1…N) to try.")
      var seeds = 3

      func execute(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
        guard (1...100).contains(seeds) else {
          environment.writeError("grpclab: --seeds must be from 1 to 100\n")
          return 2
        }
        var failed = false
        for (lab, files, workingDirectory) in try labs(environment) {
          let problems = LabSelfTest.problems(
            of: lab, files: files, workingDirectory: workingDirectory, seeds: (1...UInt64(seeds)).map { $0 })
          if problems.isEmpty {
            environment.write("✔ \(lab.id): \(lab.steps.count) steps, \(seeds) seeds\n")
          } else {
            failed = true
            environment.write(problems.map { "✘ \($0)\n" }.joined())
          }
        }
        return failed ? 1 : 0
      }

      /// The labs to check, each with where its solutions read files from: the built-in ones, or the one
      /// `lab` names, built in or on disk.
      private func labs(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> [(Lab, any FileSource, String)] {
        let builtIn = lab.map { [$0] } ?? LabCatalog.ids
        if builtIn.allSatisfy(LabCatalog.ids.contains) {
          var labs: [(Lab, any FileSource, String)] = []
          for id in builtIn {
            let lab: Lab
            do { lab = try LabCatalog.lab(id) } catch { throw .lab(error) }
            labs.append((lab, LabCatalog.fileSource(of: lab), "/lab"))
          }
          return labs
        }
        guard let lab else { return [] }
        let folder: LabFolder
        do {
          folder = try LabFolder(lab, environment: environment)
        } catch {
          throw .usage("no lab '\(lab)': the built-in labs are \(LabCatalog.ids.joined(separator: ", ")), and as a path: \(error.message)")
        }
        let decoded: Lab
        do { decoded = try Lab(yaml: folder.yaml, source: folder.shown) } catch { throw .lab(error) }
        return [(decoded, environment.files, folder.folder)]
      }
    }
  }
}
