import ClusterTools
import Foundation
import LabKit

extension GrpcLab.Bench {
  /// What a learner types after the five steps, in turn: reads, the client's endpoint, logs.
  static let laterCommands = [
    "oc -n grpc get pods", "oc -n test exec deploy/grpc-client -- curl -s http://localhost:8080/hello/grpc",
    "oc -n test logs deploy/grpc-client --tail 5", "oc get svc -n grpc",
  ]

  /// `--journal N`: makes a workspace whose journal holds the five steps' solutions and then, up to `entries`
  /// commands, `laterCommands` in turn, on the last step, saved with its snapshot as the last command left
  /// it; then times cold grpclab processes on it: a learner command, `check`, the shell's first prompt, and
  /// `goto 5`.
  func journalFigures(entries: Int, _ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
    guard (1...100_000).contains(entries) else {
      environment.writeError("grpclab: bench needs --journal from 1 to 100000\n")
      return 2
    }
    guard let runGrpcLab = environment.runGrpcLab else {
      environment.writeError("grpclab: bench --journal needs to start grpclab itself, which this environment cannot\n")
      return 1
    }
    let lab: Lab
    do { lab = try LabCatalog.lab(LabCatalog.defaultLab) } catch { throw .lab(error) }
    let path = NSTemporaryDirectory() + "grpclab-bench-\(UUID().uuidString)"
    let workspace = Workspace(path: path, files: environment.files)
    defer { try? environment.files.remove(path) }
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 1))
    let files = LabCatalog.fileSource(of: lab)
    let lines = lab.steps.flatMap(\.solution) + (0..<entries).map { Self.laterCommands[$0 % Self.laterCommands.count] }
    for line in lines where session.state.journal.count < entries {
      session.executeWaiting(line, files: files, workingDirectory: path)
    }
    session.move(to: lab.steps.count - 1)
    for file in LabCatalog.files(of: lab) {
      do { try environment.files.write(file.contents, to: path + "/" + file.name) } catch { throw .io(path, "\(error)") }
    }
    try workspace.save(Workspace.Saved(session: session, revision: 0, snapshotEntries: 0))
    let saves = [workspace.statePath, workspace.snapshotPath].map { ($0, environment.files.bytes(of: $0)) }
    let (state, snapshot) = (saves[0].1?.count ?? 0, saves[1].1?.count ?? 0)
    let journal = session.state.journal
    environment.write(
      "journal       \(journal.count) entries, \(journal.filter { $0.changed ?? true }.count) of them changed the cluster; "
        + "session \(state / 1024) KB, snapshot \(snapshot / 1024) KB\n")

    /// The median milliseconds of `runs` cold processes of the verb and arguments `words` on the workspace,
    /// after `before` each; nil when one failed (exited with a status other than `succeeded`).
    func time(
      _ words: [String], input: String = "", runs: Int = 5, succeeded: ClosedRange<Int32> = 0...0, before: () -> Void = {}
    ) -> Int? {
      var times: [UInt64] = []
      for _ in 0..<runs {
        before()
        let start = environment.stopwatch()
        guard succeeded.contains(runGrpcLab(Array(words.prefix(1)) + ["--workspace", path] + words.dropFirst(), input)) else {
          return nil
        }
        times.append(environment.stopwatch() - start)
      }
      return Int(times.sorted()[times.count / 2] / 1_000_000)
    }
    func report(_ label: String, _ milliseconds: Int?, target: Int, _ what: String) {
      let figure = milliseconds.map { "\($0) ms" } ?? "failed"
      environment.write("\(label.padding(toLength: 14, withPad: " ", startingAt: 0))\(figure) (target \(target) ms): \(what)\n")
    }
    let command = ["run", "--", "oc", "get", "pods", "-n", "grpc"]
    report("run", time(command), target: 30, "grpclab run -- oc get pods -n grpc")
    report("check", time(["check"], succeeded: 0...1), target: 30, "grpclab check, as a second pane runs it")
    report("first prompt", time(["start"], input: "exit\n"), target: 50, "grpclab start, to its first prompt and out")
    func restore() {
      for case (let path, let bytes?) in saves { try? environment.files.write(bytes: bytes, to: path) }
    }
    report("goto 5", time(["goto", "5"], runs: 3, before: restore), target: 100, "grpclab goto 5, which lands on step 5 anew")
    report(
      "no snapshot", time(command, runs: 1) { restore(); try? environment.files.remove(workspace.snapshotPath) }, target: 30,
      "grpclab run -- oc get pods -n grpc, replaying the whole journal")
    return 0
  }

  /// `--seeds N`: times `check --seeds N` on a journal of the five steps' solutions, on the last step.
  func seedFigures(seeds: Int, _ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Int32 {
    guard (1...GrpcLab.Check.maxSeeds).contains(seeds) else {
      environment.writeError("grpclab: bench needs --seeds from 1 to \(GrpcLab.Check.maxSeeds)\n")
      return 2
    }
    let lab: Lab
    do { lab = try LabCatalog.lab(LabCatalog.defaultLab) } catch { throw .lab(error) }
    var session = LabSession(lab: lab, state: SessionState(lab: lab.id, seed: 1))
    let files = LabCatalog.fileSource(of: lab)
    for line in lab.steps.flatMap(\.solution) {
      session.executeWaiting(line, files: files, workingDirectory: "/lab")
    }
    session.move(to: lab.steps.count - 1)
    let start = environment.stopwatch()
    let outcomes = GrpcLab.Check.outcomes(of: session.state, lab: lab, step: session.state.step, seeds: seeds)
    let elapsed = Double(environment.stopwatch() - start) / 1e9
    let passed = outcomes.filter { $0.results.allSatisfy(\.passed) }.count
    environment.write(
      "seeds  \(seeds) replays of the five steps' solutions (\(session.state.journal.count) commands): "
        + "\(elapsed.decimalText(digits: 3)) s, \((elapsed * 1000 / Double(seeds)).decimalText(digits: 2)) ms per seed; "
        + "step 5's checks passed under \(passed)\n")
    return 0
  }
}
