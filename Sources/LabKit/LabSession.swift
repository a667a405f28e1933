import ClusterModel
import ClusterTools

/// A learner's session: the lab, the progress, and the cluster rebuilt from the journal.
///
/// Every command first advances the clock by a think time derived from the seed and the command's place in
/// the journal, then to the learner's clock when the command says when it ran (certificates made today
/// must be valid on the cluster's clock); the journal records both, so replaying it reproduces the
/// cluster byte for byte.
public struct LabSession: Equatable, Sendable {
  public let lab: Lab
  public private(set) var state: SessionState
  public private(set) var tools: ToolSession
  /// The first journal entry that changed the cluster when it ran but failed when this session was rebuilt
  /// (`init(lab:state:snapshot:)` goes on past it); nil when the journal replayed as it ran.
  public private(set) var replayFailure: ReplayFailure?
  /// The last answer of `stepPasses()` or `checkCurrentStep()`.
  private var verdict = Verdict()

  /// Whether the current step's checks passed, and on what: the step, the cluster's revision and, for a
  /// step that reads Envoy's stats, the clock. Other checks read only stored objects and telemetry, whose
  /// revision only grows while a session runs commands (`undo` and a landing make a new session); Envoy's
  /// gauges (`ejections_active`) move with the clock alone. While the key is as it was, so is the answer.
  /// A session keeps it for itself: two sessions are equal whatever it holds.
  private struct Verdict: Equatable, Sendable {
    var key: [Int]?
    var passed = false

    static func == (lhs: Verdict, rhs: Verdict) -> Bool { true }
  }

  /// Rebuilds the session by replaying `state.journal` on a fresh cluster, or only the entries after
  /// `snapshot` when it fits `state`; an entry that fails is skipped and kept as `replayFailure`.
  public init(lab: Lab, state: SessionState, snapshot: SessionSnapshot? = nil) {
    self.init(lab: lab, startOf: state, snapshot: snapshot)
    replayFailure = replayJournal(of: state, progress: { _ in })
  }

  /// The session `state` starts from: its lab, seed and clock, with nothing replayed yet, or the snapshot
  /// with what it covers when it fits.
  private init(lab: Lab, startOf state: SessionState, snapshot: SessionSnapshot?) {
    self.lab = lab
    var start = state
    if let snapshot, snapshot.header.fits(state) {
      start.journal.removeSubrange(snapshot.header.entries...)
      tools = snapshot.tools
    } else {
      start.journal = Journal()
      tools = ToolSession(cluster: Cluster(seed: state.seed, start: state.started ?? Cluster.labStartTime))
    }
    self.state = start
  }

  /// A journal entry that does not replay as it ran: it changed the cluster then, and fails now.
  public struct ReplayFailure: Error, Equatable, Sendable {
    /// The entry's place in the journal, from 0.
    public var index: Int
    public var line: String
    /// The first line the command printed on its error stream when replayed.
    public var error: String
  }

  /// Rebuilds the session as `init(lab:state:)` does, telling `progress` each entry's place in the
  /// journal before it replays it.
  ///
  /// - Parameter snapshot: Where to start when it fits `state`: only the entries after it are replayed.
  /// - Throws: `ReplayFailure` for the first entry that changed the cluster when it ran but fails now.
  public static func rebuild(lab: Lab, state: SessionState, snapshot: SessionSnapshot? = nil, progress: (Int) -> Void)
    throws(ReplayFailure) -> LabSession
  {
    var session = LabSession(lab: lab, startOf: state, snapshot: snapshot)
    if let failure = session.replayJournal(of: state, progress: progress) { throw failure }
    return session
  }

  /// The cluster and workstation as a snapshot of the whole journal.
  public var snapshot: SessionSnapshot {
    let header = SessionSnapshot.Header(
      model: SessionState.modelVersion, key: state.replayKey(entries: state.journal.count), entries: state.journal.count)
    return SessionSnapshot(header: header, tools: tools)
  }

  /// Replays the entries of the journal of `state` after those already replayed, and takes on its
  /// progress; returns the first entry that failed.
  private mutating func replayJournal(of saved: SessionState, progress: (Int) -> Void) -> ReplayFailure? {
    var failure: ReplayFailure?
    for index in saved.journal.indices.dropFirst(state.journal.count) {
      progress(index)
      let count = state.journal.count
      let entry = saved.journal[index]
      let result = replay(entry, at: index, of: saved.journal)
      if failure == nil, entry.followedUntil == nil, entry.changed ?? true, state.journal.count == count {
        let error = result?.stderr.split(separator: "\n").first.map(String.init) ?? ""
        failure = ReplayFailure(index: index, line: entry.line, error: error)
      }
    }
    state = saved
    return failure
  }

  /// Brings the session up to `newer`, a later save of the same session (another terminal's commands):
  /// replays only the journal entries it adds, and continues a follow that went further.
  ///
  /// - Returns: false, leaving the session as it was, when `newer` does not continue this session's journal
  ///   (an `undo`, a `goto` or a `reset` elsewhere); then the session must be rebuilt.
  public mutating func catchUp(to newer: SessionState) -> Bool {
    let mine = state.journal
    guard newer.seed == state.seed, newer.lab == state.lab, newer.started == state.started, newer.journal.count >= mine.count
    else { return false }
    var from = mine.count
    if let last = mine.last, newer.journal[mine.count - 1] != last {
      var extended = last
      extended.followedUntil = newer.journal[mine.count - 1].followedUntil
      guard last.followedUntil != nil, extended == newer.journal[mine.count - 1] else { return false }
      from -= 1
    }
    guard newer.journal.lines[..<from].elementsEqual(mine.lines[..<from]) else { return false }
    state.journal.removeSubrange(from...)
    for index in newer.journal.indices[from...] { replay(newer.journal[index], at: index, of: newer.journal) }
    state = newer
    return true
  }

  /// Replays `entry`, the one at `index` of `journal`: a command, a read-only command's think time, or a
  /// follow of the cluster up to the time it reached. The journal takes the entry as `journal` keeps it. An
  /// entry whose times no lab can have is not replayed, and fails.
  ///
  /// - Returns: The command's result; nil for a follow or a read-only command.
  @discardableResult
  private mutating func replay(_ entry: JournalEntry, at index: Int, of journal: Journal) -> ToolResult? {
    guard entry.implausibleTime == nil else { return ToolResult(stderr: "its time is not one a lab can have\n", exitCode: 1) }
    if let until = entry.followedUntil {
      while tools.cluster.now < until { tools.cluster.advance(by: Self.tick) }
      state.journal.append(entryAt: index, of: journal)
      return nil
    }
    if entry.readOnly == true {
      tools.cluster.advance(by: thinkTime(at: state.journal.count))
      if state.started != nil, let time = entry.at { tools.cluster.advance(to: time) }
      state.journal.append(entryAt: index, of: journal)
      return nil
    }
    let (result, journaled) = performOnCluster(
      entry.line, files: RecordedFiles(files: entry.files), workingDirectory: entry.workingDirectory, at: entry.at,
      lastStatus: entry.lastStatus ?? 0)
    if journaled != nil { state.journal.append(entryAt: index, of: journal) }
    return result
  }

  /// How far the clock moves for each step a command follows the cluster.
  public static let tick = SimDuration.seconds(1)

  /// Follows the cluster one second further for what `line` does after its output (a watch's rows, or
  /// `oc delete` waiting for its pods to go): the clock moves on without a think time, and the journal keeps
  /// the following as one entry of how far it went.
  public mutating func follow(_ line: String) {
    tools.cluster.advance(by: Self.tick)
    if let last = state.journal.last, last.followedUntil != nil, last.line == line {
      state.journal[state.journal.count - 1].followedUntil = tools.cluster.now
    } else {
      var entry = JournalEntry(line: line, workingDirectory: "", files: [:], changed: false)
      entry.followedUntil = tools.cluster.now
      state.journal.append(entry)
    }
  }

  /// Runs a line as `execute` does, then follows the cluster for as long as the command waits, at once.
  @discardableResult
  public mutating func executeWaiting(
    _ line: String, files: any FileSource, workingDirectory: String, at time: SimTime? = nil, lastStatus: Int32 = 0
  ) -> ToolResult {
    let result = execute(line, files: files, workingDirectory: workingDirectory, at: time, lastStatus: lastStatus)
    while let end = result.waitsUntil, cluster.now < end { follow(line) }
    return result
  }

  /// The cluster as the learner's commands left it.
  public var cluster: Cluster { tools.cluster }

  /// The current step.
  public var currentStep: Lab.Step { lab.steps[lab.stepIndex(clamping: state.step)] }

  /// Runs one learner command line against the cluster.
  ///
  /// A command that fails without changing anything, or reads only the workspace (`cat`, `ls`), leaves the
  /// session exactly as it was (clock included); anything else is journaled.
  ///
  /// - Parameters:
  ///   - time: The learner's clock; ignored for a session that started on the article's date, so that its
  ///     clock does not jump years ahead.
  ///   - lastStatus: The exit status of the shell's last line, which `$?` stands for; the journal keeps it
  ///     for a line that reads it.
  @discardableResult
  public mutating func execute(
    _ line: String, files: any FileSource, workingDirectory: String, at time: SimTime? = nil, lastStatus: Int32 = 0
  ) -> ToolResult {
    let (result, entry) = perform(line, files: files, workingDirectory: workingDirectory, at: time, lastStatus: lastStatus)
    if let entry { state.journal.append(entry) }
    return result
  }

  /// Runs one command line as `execute` does, but leaves the journal to the caller.
  ///
  /// - Returns: The command's result, and the entry that journals it (nil when the command is not journaled).
  private mutating func perform(
    _ line: String, files: any FileSource, workingDirectory: String, at time: SimTime?, lastStatus: Int32
  ) -> (ToolResult, JournalEntry?) {
    if ToolSession.isLocal(line) {
      var local = tools
      return (local.run(line, files: files, workingDirectory: workingDirectory, language: state.language, lastStatus: lastStatus).0, nil)
    }
    return performOnCluster(line, files: files, workingDirectory: workingDirectory, at: time, lastStatus: lastStatus)
  }

  /// Runs a command line that is not local (`ToolSession.isLocal`) as `perform` does. A replay calls it
  /// directly, as the journal holds no local line.
  private mutating func performOnCluster(
    _ line: String, files: any FileSource, workingDirectory: String, at time: SimTime?, lastStatus: Int32
  ) -> (ToolResult, JournalEntry?) {
    let time = state.started == nil ? nil : time
    var waited = tools
    waited.cluster.advance(by: thinkTime(at: state.journal.count))
    if let time { waited.cluster.advance(to: time) }
    var next = waited
    let (result, reads) = next.run(
      line, files: files, workingDirectory: workingDirectory, language: state.language, lastStatus: lastStatus)
    let changed = next.cluster.revision != waited.cluster.revision || next.workstation != waited.workstation
    if result.exitCode != 0 && !changed { return (result, nil) }
    var entry = JournalEntry(line: line, workingDirectory: workingDirectory, files: reads, changed: changed, at: time)
    if lastStatus != 0 && (line.contains("$?") || line.contains("${?}")) { entry.lastStatus = lastStatus }
    if !changed && next == waited { entry.readOnly = true }
    tools = next
    return (result, entry)
  }

  /// The current step's checks, evaluated on the cluster.
  public func check(step index: Int? = nil) -> [CheckResult] {
    let step = lab.steps[lab.stepIndex(clamping: index ?? state.step)]
    return step.checks.map { $0.evaluate(cluster, language: state.language) }
  }

  /// The current step's check results, remembered for `stepPasses()`: `markIfComplete()` after them does not
  /// evaluate the checks again.
  public mutating func checkCurrentStep() -> [CheckResult] {
    let results = check()
    verdict = Verdict(key: verdictKey, passed: results.allSatisfy(\.passed))
    return results
  }

  /// Whether all the current step's checks pass: evaluated again only when what they read may have changed
  /// (`Verdict`), so that asking again after a command pays for the checks only when it changed something.
  public mutating func stepPasses() -> Bool {
    if verdict.key == verdictKey { return verdict.passed }
    return checkCurrentStep().allSatisfy(\.passed)
  }

  /// What the current step's checks read: the cluster's revision, the step and, for checks that move with
  /// the clock, the time.
  private var verdictKey: [Int] {
    let readsTheClock = currentStep.checks.contains(where: \.movesWithTheClock)
    return [cluster.revision, state.step] + (readsTheClock ? [Int(cluster.now.nanoseconds)] : [])
  }

  /// Whether the current step's checks, which did not pass in `before`, pass now; when they do, the step is
  /// recorded as completed. `before` is this session before the commands since, not before an `undo` or a
  /// landing, which start the revisions anew. When nothing the checks read changed since `before`, the
  /// answer is no and no check is evaluated: a command that only reads, beside 100 000 pods, counts none.
  public mutating func becameComplete(since before: LabSession) -> Bool {
    guard verdictKey != before.verdictKey else { return false }
    var before = before
    guard !before.stepPasses() else { return false }
    return markIfComplete()
  }

  /// Records the current step as completed when all its checks pass (`stepPasses()`); returns whether they did.
  @discardableResult
  public mutating func markIfComplete() -> Bool {
    let passed = stepPasses()
    if passed && !state.completed.contains(currentStep.id) { state.completed.append(currentStep.id) }
    return passed
  }

  /// What `undo` took back.
  public enum Undone: Equatable, Sendable {
    /// A command, and the read-only commands after it.
    case command(String)
    /// A landing on a step (`goto`, `reset --step`): the session is back as it was before it.
    case landing(step: Int)
  }

  /// Takes back the last command that changed the cluster, with the read-only commands after it: the
  /// cluster is rebuilt from the journal without them, traffic and clock included. When no command
  /// changed the cluster since the last landing on a step, takes back the landing.
  ///
  /// - Returns: What was taken back, or nil when there is nothing.
  @discardableResult
  public mutating func undo() -> Undone? {
    let index = state.journal.lastIndex { $0.changed ?? true }
    if let landing = state.beforeLanding, (index ?? -1) < landing.journalCount {
      let landed = state.step
      var previous = state
      previous.step = landing.step
      previous.completed = landing.completed
      previous.hintsShown = landing.hintsShown
      previous.journal = landing.journal
      previous.beforeLanding = nil
      self = LabSession(lab: lab, state: previous)
      return .landing(step: landed)
    }
    guard let index else { return nil }
    let line = state.journal[index].line
    var previous = state
    previous.journal.removeSubrange(index...)
    self = LabSession(lab: lab, state: previous)
    return .command(line)
  }

  /// The index of the step `reference` names: a 1-based number or a step id.
  public func stepIndex(_ reference: String) -> Int? { Self.stepIndex(reference, of: lab) }

  /// The index of the step of `lab` that `reference` names: a 1-based number or a step id.
  public static func stepIndex(_ reference: String, of lab: Lab) -> Int? {
    if let number = Int(reference) { return (1...max(lab.steps.count, 1)).contains(number) ? number - 1 : nil }
    return lab.steps.firstIndex { $0.id == reference }
  }

  /// Makes step `index` current, keeping the cluster as it is.
  public mutating func move(to index: Int) {
    guard lab.steps.indices.contains(index), index != state.step else { return }
    state.step = index
    state.hintsShown = 0
  }

  /// Makes step `index` current on a fresh cluster that has run the reference solutions of every
  /// step before it, so the step starts from exactly the state it expects; `undo` comes back.
  ///
  /// - Parameters:
  ///   - files: The lab's files, as the solutions read them.
  ///   - time: The learner's clock, as for `execute`.
  public mutating func land(on index: Int, files: any FileSource, workingDirectory: String, at time: SimTime? = nil) {
    guard lab.steps.indices.contains(index) else { return }
    self = Self.landing(lab: lab, state: state, on: index, files: files, workingDirectory: workingDirectory, at: time)
  }

  /// The session saved as `state` landed on step `index`, as `land(on:files:workingDirectory:at:)` lands it,
  /// without rebuilding the cluster `state` had: a landing starts from a fresh cluster, and keeps the saved
  /// fields only for `undo`. An index beyond the lab's steps lands on its last step.
  public static func landing(
    lab: Lab, state: SessionState, on index: Int, files: any FileSource, workingDirectory: String, at time: SimTime? = nil
  ) -> LabSession {
    let index = lab.stepIndex(clamping: max(index, 0))
    var fresh = SessionState(lab: lab.id, seed: state.seed, language: state.language, started: state.started)
    fresh.step = index
    fresh.completed = Array(lab.steps[..<index].map(\.id))
    var session = LabSession(lab: lab, state: fresh)
    var status: Int32 = 0
    for step in lab.steps[..<index] {
      for line in step.solution {
        status = session.executeWaiting(line, files: files, workingDirectory: workingDirectory, at: time, lastStatus: status).exitCode
      }
    }
    session.state.beforeLanding = Landing(
      journalCount: session.state.journal.count, step: state.step, completed: state.completed, hintsShown: state.hintsShown,
      journal: state.journal)
    return session
  }

  /// The next hint of the current step (the last one again once all were shown).
  public mutating func nextHint() -> (number: Int, total: Int, text: String)? {
    let hints = currentStep.hints
    guard !hints.isEmpty else { return nil }
    let index = min(state.hintsShown, hints.count - 1)
    state.hintsShown = min(state.hintsShown + 1, hints.count)
    return (index + 1, hints.count, hints[index].text(state.language))
  }

  /// Sets the language of lab texts.
  public mutating func setLanguage(_ language: Language) {
    state.language = language
  }

  /// The simulated seconds between two commands: 4–12 s, fixed by the seed and the command's position.
  private func thinkTime(at position: Int) -> SimDuration {
    var generator = SplitMix64(seed: state.seed &+ UInt64(position) &* 0x9E37_79B9_7F4A_7C15)
    return generator.duration(in: .seconds(4)...(.seconds(12)))
  }
}

/// Files as a journal recorded them.
struct RecordedFiles: FileSource {
  var files: [String: FileContents]

  func contents(of path: String) -> FileContents {
    files[path] ?? .missing
  }
}
