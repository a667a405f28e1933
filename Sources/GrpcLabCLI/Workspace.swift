import ClusterModel
import ClusterTools
import Foundation
import LabKit

/// A workspace folder: the lab's files for the learner, and `.grpclab/session.json` with the saved session.
struct Workspace {
  let path: String
  let files: any WorkspaceFiles
  /// Nanoseconds from an arbitrary start, to weigh a replay against reading the snapshot.
  var stopwatch: @Sendable () -> UInt64 = { 0 }
  /// What writing the snapshot costs this process, and what it saves.
  let snapshotCosts = SnapshotCosts()

  /// grpclab's own folder in the workspace.
  var folder: String { path + "/.grpclab" }
  var statePath: String { folder + "/session.json" }
  var lockPath: String { folder + "/lock" }
  /// The cluster as the journal left it, so that loading replays only the commands saved after it.
  var snapshotPath: String { folder + "/snapshot" }

  /// Loads the saved session, creating the workspace (files and a new session of `lab`, or of the default
  /// lab) on first use.
  ///
  /// - Throws: `GrpcLabError.otherLab` when the workspace holds a lab other than `lab`, `otherSeed` when it
  ///   holds a session of a seed other than `seed`.
  func load(seed: UInt64?, lab id: String? = nil, randomSeed: () -> UInt64, language: Language = .en, started: SimTime? = nil)
    throws(GrpcLabError) -> Saved
  {
    switch files.contents(of: statePath) {
    case .file(let text):
      let (saved, lab) = try decode(text)
      if let id, id != lab.id { throw .otherLab(path, holds: lab.id, asked: id) }
      if let seed, seed != saved.state.seed { throw .otherSeed(path, holds: saved.state.seed, asked: seed) }
      return try rebuild(lab, saved.state, revision: saved.revision)
    case .directory:
      throw .io(statePath, "Is a directory")
    case .unreadable(let reason):
      throw .io(statePath, reason)
    case .missing:
      let lab: Lab
      do { lab = try LabCatalog.lab(id ?? LabCatalog.defaultLab) } catch { throw .lab(error) }
      let session = Self.newSession(of: lab, seed: seed ?? randomSeed(), language: language, started: started)
      do {
        for file in LabCatalog.files(of: lab) where files.contents(of: path + "/" + file.name) == .missing {
          try files.write(file.contents, to: path + "/" + file.name)
        }
      } catch {
        throw .io(path, "\(error)")
      }
      snapshotCosts.loaded(read: nil, replay: 0)
      let saved = Saved(session: session, revision: 0)
      return try save(saved)
    }
  }

  /// A new session of `lab` on `seed`, in `language`, whose cluster starts at `started` (the learner's
  /// clock, never before the lab's start), or at the lab's own start.
  private static func newSession(of lab: Lab, seed: UInt64, language: Language, started: SimTime?) -> LabSession {
    LabSession(lab: lab, state: SessionState(
      lab: lab.id, seed: seed, language: language, started: started.map { max($0, Cluster.labStartTime) }))
  }

  /// The saved session's fields, without replaying its journal, whose entries are checked.
  ///
  /// - Throws: `GrpcLabError.usage` when the workspace has no session.
  func savedState() throws(GrpcLabError) -> SessionState {
    switch files.contents(of: statePath) {
    case .file(let text):
      let state = try decode(text).0.state
      for journal in [state.journal, state.beforeLanding?.journal ?? Journal()] {
        if let problem = Self.problem(in: journal, from: 0) { throw .damagedField(path, problem) }
      }
      return state
    case .missing: throw .usage("no lab session in '\(path)'")
    case .directory: throw .io(statePath, "Is a directory")
    case .unreadable(let reason): throw .io(statePath, reason)
    }
  }

  /// A save's text decoded and checked: its format, its lab, and its fields.
  private func decode(_ text: String) throws(GrpcLabError) -> (Save, Lab) {
    let saved: Save
    do { saved = try Save(text) } catch { throw .damagedSave(path, reason: error.reason) }
    guard saved.state.version <= SessionState.readableVersions.upperBound else { throw .newerSave(path, saved.state.version) }
    guard SessionState.readableVersions.contains(saved.state.version) else {
      throw .damagedSave(path, reason: "its format \(saved.state.version) is none this grpclab reads")
    }
    if let model = saved.state.model, model > SessionState.modelVersion { throw .newerModel(path, model) }
    let lab: Lab
    do { lab = try LabCatalog.lab(saved.state.lab) } catch { throw .lab(error) }
    if let problem = Self.problem(in: saved.state, of: lab) { throw .damagedField(path, problem) }
    return (saved, lab)
  }

  /// What is wrong with a decoded save's fields, if anything: a field and its value, as the error shows them.
  /// The journal's entries are checked when they are replayed (`problem(in:from:)`).
  static func problem(in state: SessionState, of lab: Lab) -> String? {
    if !lab.steps.indices.contains(state.step) { return "step \(state.step) (the lab's steps are 0–\(lab.steps.count - 1))" }
    if state.hintsShown < 0 { return "hintsShown \(state.hintsShown)" }
    if let started = state.started, !JournalEntry.plausibleTimes.contains(started) { return "started \(started.nanoseconds)" }
    return nil
  }

  /// What is wrong with the entries of `journal` from index `first` on, which a load is about to replay.
  static func problem(in journal: Journal, from first: Int) -> String? {
    for number in journal.indices.dropFirst(first) {
      let entry = journal[number]
      if let time = entry.implausibleTime {
        return "the time \(time.nanoseconds) of journal entry \(number + 1) ('\(entry.line.prefix(40))')"
      }
    }
    return nil
  }

  /// Puts right what would keep a workspace from being used at all: `.grpclab` as a file, `lock` as a folder.
  func repair() throws(GrpcLabError) {
    var wrong: [String] = []
    switch files.contents(of: folder) {
    case .directory, .missing: break
    case .file, .unreadable: wrong.append(folder)
    }
    if case .directory = files.contents(of: lockPath) { wrong.append(lockPath) }
    for what in wrong {
      do { try files.remove(what) } catch { throw .io(what, "\(error)") }
    }
  }

  /// The session as the last save left it: `saved` when no other process saved since, else `saved` brought up
  /// to the newer save by replaying only what it adds, or rebuilt from it when it does not continue `saved`
  /// (a new session, in the same language, when another terminal reset the workspace).
  func refresh(_ saved: Saved, _ environment: GrpcLabEnvironment) throws(GrpcLabError) -> Saved {
    guard case .file(let text) = files.contents(of: statePath) else {
      return try load(
        seed: nil, randomSeed: environment.randomSeed, language: saved.session.state.language, started: environment.wallClock())
    }
    snapshotCosts.commandStarts(at: stopwatch())
    guard let revision = Save.revision(of: text) else { throw .damagedSave(path, reason: "its first line is no session") }
    guard revision != saved.revision else { return saved }
    let (newer, lab) = try decode(text)
    var session = saved.session
    let replayed = max(session.state.journal.count - 1, 0)
    if let problem = Self.problem(in: newer.state.journal, from: replayed) { throw .damagedField(path, problem) }
    if session.catchUp(to: newer.state) {
      return Saved(session: session, revision: newer.revision, snapshotEntries: saved.snapshotEntries)
    }
    return try rebuild(lab, newer.state, revision: newer.revision)
  }

  /// Where a replay of the journal leaves a mark while it runs, so that a replay that stops grpclab (a
  /// trap, or a hang the learner interrupts) is found by the next one.
  var replayMarkPath: String { folder + "/replaying" }

  /// How far a replay got: which attempt it is, and on the attempts after a stopped one, the entry it
  /// was replaying.
  private struct ReplayMark: Codable {
    var attempt: Int
    var entry: Int?
  }

  /// The session saved as `state` (revision `revision`), from the workspace's snapshot and the journal
  /// entries after it; a snapshot of the result is written when the replay was long enough to be worth it
  /// (`writeSnapshot`): it took longer than reading the snapshot did (the clock moved between commands
  /// while thousands of pods started), or replayed commands that changed the cluster for at least as long.
  ///
  /// - Throws: `GrpcLabError.unreplayable` for an entry that fails when replayed or stopped two replays.
  func rebuild(_ lab: Lab, _ state: SessionState, revision: Int) throws(GrpcLabError) -> Saved {
    let start = stopwatch()
    let snapshot = snapshot(fitting: state)
    let read = stopwatch() &- start
    let readCost = snapshot.map { _ in read }
    let covered = snapshot?.header.entries
    if let problem = Self.problem(in: state.journal, from: covered ?? 0) { throw .damagedField(path, problem) }
    defer { snapshotCosts.commandStarts(at: stopwatch()) }
    guard state.journal.count > covered ?? 0 else {
      snapshotCosts.loaded(read: readCost, replay: 0)
      return Saved(session: LabSession(lab: lab, state: state, snapshot: snapshot), revision: revision, snapshotEntries: covered)
    }
    let session = try replay(lab, state, from: snapshot)
    let replayed = stopwatch() &- start &- read
    snapshotCosts.loaded(read: readCost, replay: replayed)
    let slow = Self.isWorthASnapshot(replay: replayed, read: read)
    return Saved(
      session: session, revision: revision, snapshotEntries: writeSnapshot(of: session, covered: covered ?? 0, slowReplay: slow))
  }

  /// Whether a replay that took `replay` nanoseconds after a snapshot that took `read` to read is worth a
  /// new snapshot: it took longer than the reading and than `shortestSlowReplay`.
  static func isWorthASnapshot(replay: UInt64, read: UInt64) -> Bool {
    replay >= max(read, shortestSlowReplay)
  }

  /// A replay shorter than this, in nanoseconds, is not worth a snapshot on its own: 200 ms.
  static let shortestSlowReplay: UInt64 = 200_000_000

  /// Replays the journal of `state` after `snapshot`, marking the replay in the workspace while it runs.
  ///
  /// A replay that finds the mark of one that stopped tries again, marking each entry; when that one stops
  /// too, the next says which entry stops grpclab instead of replaying it.
  ///
  /// - Throws: `GrpcLabError.unreplayable` for an entry that fails when replayed or stopped two replays.
  private func replay(_ lab: Lab, _ state: SessionState, from snapshot: SessionSnapshot?) throws(GrpcLabError) -> LabSession {
    var mark = ReplayMark(attempt: 1)
    if case .file(let text) = files.contents(of: replayMarkPath),
      let previous = try? JSONDecoder().decode(ReplayMark.self, from: Data(text.utf8))
    {
      if previous.attempt >= 2, let entry = previous.entry, state.journal.indices.contains(entry) {
        throw .unreplayable(entry: entry + 1, line: state.journal[entry].line, cause: nil, wayOut: Self.wayOut(from: entry, in: state))
      }
      mark.attempt = previous.attempt + 1
    }
    let encoder = JSONEncoder()
    func write(_ mark: ReplayMark) {
      guard let data = try? encoder.encode(mark) else { return }
      try? files.write(String(decoding: data, as: UTF8.self), to: replayMarkPath)
    }
    write(mark)
    defer { try? files.remove(replayMarkPath) }
    do {
      return try LabSession.rebuild(lab: lab, state: state, snapshot: snapshot) { index in
        guard mark.attempt > 1 else { return }
        mark.entry = index
        write(mark)
      }
    } catch {
      let recorded = state.model ?? 1
      let cause = recorded == SessionState.modelVersion
        ? error.error : "\(error.error) (the journal was recorded by model \(recorded); this grpclab runs \(SessionState.modelVersion))"
      throw .unreplayable(entry: error.index + 1, line: error.line, cause: cause, wayOut: Self.wayOut(from: error.index, in: state))
    }
  }

  /// The workspace's snapshot, when it fits `state`; a missing, damaged or outdated one is nil.
  func snapshot(fitting state: SessionState) -> SessionSnapshot? {
    files.bytes(of: snapshotPath).flatMap { SessionSnapshot(decoding: $0, fitting: state) }
  }

  /// Writes a snapshot of `session` when a load would otherwise replay a follow (a watch, `oc delete`
  /// waiting: a lab second of controllers each) or `snapshotInterval` commands after the snapshot the
  /// workspace has (which covers `covered` entries, or nil when unknown), or commands that changed the
  /// cluster once their replay would take as long as the last read or write of the snapshot took
  /// (`SnapshotCosts`; a command that waits for the learner's answer counts the wait, which only writes
  /// sooner), or after a `slowReplay`. A follow is not snapshotted while it goes on, nor a session whose
  /// journal failed to replay, so that the next load replays it and names the entry.
  ///
  /// - Returns: The entries the workspace's snapshot covers now (nil when unknown).
  func writeSnapshot(of session: LabSession, covered: Int?, slowReplay: Bool = false) -> Int? {
    let journal = session.state.journal
    guard let last = journal.last, last.followedUntil == nil, session.replayFailure == nil else { return covered }
    let after = journal.dropFirst(min(covered ?? journal.count - 1, journal.count))
    let followed = after.contains { $0.followedUntil != nil }
    let changed = after.contains { $0.changed ?? true }
    guard (covered ?? 0) > journal.count || followed || (changed && snapshotCosts.snapshotPays)
      || after.count >= Self.snapshotInterval || slowReplay
    else { return covered }
    let start = stopwatch()
    guard let bytes = try? session.snapshot.encoded(), (try? files.write(bytes: bytes, to: snapshotPath)) != nil else { return nil }
    snapshotCosts.wrote(in: stopwatch() &- start)
    return journal.count
  }

  /// The most commands that only read the cluster a load replays after the snapshot.
  static let snapshotInterval = 32

  /// How to get past journal entry `index`: take it back when it is the last that changed the cluster,
  /// else start the current step again.
  static func wayOut(from index: Int, in state: SessionState) -> GrpcLabError.WayOut {
    state.journal.lastIndex(where: { $0.changed ?? true }) == index ? .undo : .reset(step: state.step + 1)
  }

  /// Runs `body` under the lock on the saved session's fields, without replaying its journal, and saves the
  /// session it returns: for `goto`, whose landing starts from a fresh cluster.
  ///
  /// - Returns: `body`'s exit status; nil, having done nothing, when the workspace has no session yet.
  func withSavedState(
    _ environment: GrpcLabEnvironment, _ body: (Lab, SessionState) throws(GrpcLabError) -> (Int32, LabSession?)
  ) throws(GrpcLabError) -> Int32? {
    try locked(holder: environment.lockHolder, waiting: environment.reportWaiting) { () throws(GrpcLabError) -> Int32? in
      guard case .file(let text) = files.contents(of: statePath) else { return nil }
      let (saved, lab) = try decode(text)
      let (status, session) = try body(lab, saved.state)
      if let session, session.state != saved.state { try save(Saved(session: session, revision: saved.revision)) }
      return status
    }
  }

  /// Takes back the last command that changed the cluster without replaying it: the way out when that
  /// command no longer replays.
  ///
  /// - Returns: The command taken back, or nil when the journal has none.
  func undoWithoutReplaying(_ environment: GrpcLabEnvironment) throws(GrpcLabError) -> String? {
    try locked(holder: environment.lockHolder, waiting: environment.reportWaiting) { () throws(GrpcLabError) -> String? in
      guard case .file(let text) = files.contents(of: statePath) else { return nil }
      let (saved, lab) = try decode(text)
      guard let index = saved.state.journal.lastIndex(where: { $0.changed ?? true }) else { return nil }
      var state = saved.state
      state.journal.removeSubrange(index...)
      try? files.remove(replayMarkPath)
      try save(try rebuild(lab, state, revision: saved.revision))
      return saved.state.journal[index].line
    }
  }

  /// Saves the session atomically as the next revision.
  ///
  /// - Returns: The session with the revision it was saved as.
  @discardableResult
  func save(_ saved: Saved) throws(GrpcLabError) -> Saved {
    snapshotCosts.commandEnds(at: stopwatch())
    var next = Saved(session: saved.session, revision: saved.revision + 1)
    do {
      try files.write(bytes: try Save(state: next.session.state, revision: next.revision).encoded(), to: statePath)
    } catch {
      throw .io(statePath, "\(error)")
    }
    if case .directory(let names) = files.contents(of: folder) {
      for name in names where name.hasPrefix(".dat.nosync") { try? files.remove(folder + "/" + name) }
    }
    next.snapshotEntries = writeSnapshot(of: next.session, covered: saved.snapshotEntries)
    return next
  }

  /// Starts the lab again: a new session of the saved one's lab and language, on `seed` or the saved one's, on
  /// a fresh cluster that starts at `started`, saved as the next revision so that other terminals notice. A
  /// save that cannot be read is deleted instead, with the mark of a replay that stopped, and the next use
  /// starts a new session as on first use. The learner's files stay.
  ///
  /// - Returns: Whether the session was kept: false when the save could not be read.
  @discardableResult
  func reset(seed: UInt64?, started: SimTime?) throws(GrpcLabError) -> Bool {
    var kept: Saved?
    if case .file(let text) = files.contents(of: statePath), let (old, lab) = try? decode(text) {
      let session = Self.newSession(of: lab, seed: seed ?? old.state.seed, language: old.state.language, started: started)
      kept = Saved(session: session, revision: old.revision)
    }
    for path in [statePath, replayMarkPath, snapshotPath] {
      do { try files.remove(path) } catch { throw .io(path, "\(error)") }
    }
    if let kept { _ = try save(kept) }
    return kept != nil
  }

  /// Runs `body` holding the workspace lock, so concurrent invocations take turns; the lock is held for
  /// one command, never while a shell waits for input.
  ///
  /// - Parameters:
  ///   - holder: Who holds the lock, for others that wait: `pid 42 (grpclab check)`.
  ///   - waiting: Told the holder's words when another process holds the lock for more than a moment.
  /// - Throws: `io` when the workspace is a file, or the lock cannot be taken; what `body` throws.
  func locked<T>(holder: String, waiting: (String) -> Void, _ body: () throws(GrpcLabError) -> T) throws(GrpcLabError) -> T {
    switch files.contents(of: path) {
    case .file: throw .io(path, "Not a directory")
    case .unreadable(let reason): throw .io(path, reason)
    case .directory, .missing: break
    }
    do {
      return try files.withLock(lockPath, holder: holder, waiting: waiting) { () throws -> T in try body() }
    } catch let error as GrpcLabError {
      throw error
    } catch {
      throw .io(lockPath, "\(error)")
    }
  }

  /// A session as loaded from or saved to the workspace, with the save's revision.
  struct Saved {
    var session: LabSession
    /// Counts the saves of the workspace: another terminal's command shows as a revision the shell has not seen.
    var revision: Int
    /// How many journal entries the workspace's snapshot covers, as far as this process knows.
    var snapshotEntries: Int? = nil
  }

  /// The save file, format 3: the session's fields and the revision side by side as one line of JSON, its
  /// journals empty and `lines` saying how many entries follow; then the journal's entries one per line,
  /// and the landing's after them. A load decodes only the entries it replays. Formats 1 and 2 are one JSON
  /// document with the entries inside, and still load.
  private struct Save: Codable {
    var state: SessionState
    var revision: Int
    /// In format 3, how many lines after the first hold the journal's entries, and then the landing's.
    var lines: Lines?

    struct Lines: Codable {
      var journal: Int
      var landing: Int
    }

    /// Only the revision of a save (0 for saves from before revisions).
    struct Revision: Decodable {
      var revision: Int?
    }

    private enum CodingKeys: String, CodingKey {
      case revision, lines
    }

    init(state: SessionState, revision: Int) {
      self.state = state
      self.revision = revision
    }

    /// Why a file's text holds no save, in a few words.
    struct Damage: Error {
      var reason: String
    }

    /// The save a file's `text` holds. A save in a format newer than this build's comes back with its
    /// fields only, for the caller to say it is newer.
    ///
    /// - Throws: Why the text holds no save: its first line is no session, or its lines are not the ones
    ///   it counts.
    init(_ text: String) throws(Damage) {
      let bytes = Array(text.utf8)
      var lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)[...]
      let first = lines.popFirst() ?? []
      var save: Save
      do {
        save = try JSONDecoder().decode(Save.self, from: Data(first))
      } catch {
        guard let whole = try? JSONDecoder().decode(Save.self, from: Data(bytes)) else {
          if case .dataCorrupted(let context) = error as? DecodingError, context.codingPath.isEmpty {
            throw Damage(reason: "its first line is not JSON")
          }
          throw Damage(reason: "its first line is no session: \((error as? DecodingError)?.summary ?? "\(error)")")
        }
        self = whole
        return
      }
      if save.state.version > SessionState.saveFormat {
        self = save
        return
      }
      if lines.last?.isEmpty == true { lines.removeLast() }
      let counts = save.lines ?? Lines(journal: 0, landing: 0)
      guard (save.lines != nil) == (save.state.version >= 3) else {
        throw Damage(reason: "its format \(save.state.version) and its line counts disagree")
      }
      guard (0...lines.count).contains(counts.journal), counts.landing == lines.count - counts.journal else {
        throw Damage(reason: "it counts \(counts.journal) journal lines and \(counts.landing) landing lines, and has \(lines.count) lines after its first")
      }
      guard counts.landing == 0 || save.state.beforeLanding != nil else {
        throw Damage(reason: "it has landing lines but no landing")
      }
      if save.lines != nil {
        save.state.journal = Journal(lines: Array(lines.prefix(counts.journal)))
        save.state.beforeLanding?.journal = Journal(lines: Array(lines.suffix(counts.landing)))
      }
      save.lines = nil
      self = save
    }

    /// The revision of the save a file's `text` holds, without its journal; nil when it holds no save.
    static func revision(of text: String) -> Int? {
      let decoder = JSONDecoder()
      let first = Data(text.utf8.prefix { $0 != UInt8(ascii: "\n") })
      guard let header = (try? decoder.decode(Revision.self, from: first)) ?? (try? decoder.decode(Revision.self, from: Data(text.utf8)))
      else { return nil }
      return header.revision ?? 0
    }

    /// The save as a file keeps it, in format 3.
    func encoded() throws -> Data {
      var header = self
      header.state.version = SessionState.saveFormat
      header.state.journal = Journal()
      header.state.beforeLanding?.journal = Journal()
      header.lines = Lines(journal: state.journal.count, landing: state.beforeLanding?.journal.count ?? 0)
      let encoder = JSONEncoder()
      encoder.outputFormatting = .sortedKeys
      var bytes = try encoder.encode(header)
      for line in state.journal.lines + (state.beforeLanding?.journal.lines ?? []) {
        bytes.append(UInt8(ascii: "\n"))
        bytes += line
      }
      bytes.append(UInt8(ascii: "\n"))
      return bytes
    }

    init(from decoder: any Decoder) throws {
      state = try SessionState(from: decoder)
      let container = try decoder.container(keyedBy: CodingKeys.self)
      revision = try container.decodeIfPresent(Int.self, forKey: .revision) ?? 0
      lines = try container.decodeIfPresent(Lines.self, forKey: .lines)
    }

    func encode(to encoder: any Encoder) throws {
      try state.encode(to: encoder)
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(revision, forKey: .revision)
      try container.encodeIfPresent(lines, forKey: .lines)
    }
  }
}

/// A failure of grpclab itself (not of a learner command).
enum GrpcLabError: Error, CustomStringConvertible {
  /// The saved session does not decode, and why.
  case damagedSave(String, reason: String)
  /// The saved session decodes, but a field holds what no session can have.
  case damagedField(String, String)
  /// The save was written by a newer grpclab, in a format this one cannot read.
  case newerSave(String, Int)
  /// The session was recorded by a newer model, whose journal this one may replay differently.
  case newerModel(String, Int)
  /// A file could not be read or written.
  case io(String, String)
  /// The workspace holds one lab and the command asked for another.
  case otherLab(String, holds: String, asked: String)
  /// The workspace holds a session of one seed and the command asked for another.
  case otherSeed(String, holds: UInt64, asked: UInt64)
  case lab(LabError)
  /// A command's arguments cannot work (a usage error).
  case usage(String)
  /// Journal entry `entry` (from 1) fails when replayed (`cause`), or stopped grpclab twice while it was
  /// replayed (`cause` nil).
  case unreplayable(entry: Int, line: String, cause: String?, wayOut: WayOut)

  /// What a learner runs to get past an entry that does not replay.
  enum WayOut: Equatable {
    case undo
    case reset(step: Int)

    /// The step `reset` starts again (0 for `undo`).
    var step: Int {
      if case .reset(let step) = self { step } else { 0 }
    }
  }

  var description: String { text(.en) }

  /// The error as one sentence in `language`.
  func text(_ language: Language) -> String {
    switch (self, language) {
    case (.damagedSave(let path, let reason), .en):
      "the saved session in '\(path)' is damaged (\(reason)); run 'grpclab reset' to start the lab again"
    case (.damagedSave(let path, let reason), .zh): "'\(path)' 中保存的会话已损坏（\(reason)）；运行 'grpclab reset' 重新开始实验"
    case (.damagedField(let path, let field), .en):
      "the saved session in '\(path)' is damaged: \(field) cannot be; run 'grpclab reset --step N' to start again at step N, or 'grpclab reset'"
    case (.damagedField(let path, let field), .zh):
      "'\(path)' 中保存的会话已损坏：\(field) 不可能出现；运行 'grpclab reset --step N' 从第 N 步重新开始，或运行 'grpclab reset'"
    case (.newerSave(let path, let version), .en):
      "the saved session in '\(path)' was written by a newer grpclab (save format \(version); this one reads up to \(SessionState.readableVersions.upperBound)); use that grpclab, or 'grpclab reset' to start again"
    case (.newerSave(let path, let version), .zh):
      "'\(path)' 中保存的会话由更新版本的 grpclab 写入（保存格式 \(version)；本版本最多读取 \(SessionState.readableVersions.upperBound)）；请使用那个 grpclab，或运行 'grpclab reset' 重新开始"
    case (.newerModel(let path, let model), .en):
      "the saved session in '\(path)' was recorded by a newer grpclab (model \(model); this one runs \(SessionState.modelVersion)); use that grpclab, or 'grpclab reset' to start again"
    case (.newerModel(let path, let model), .zh):
      "'\(path)' 中保存的会话由更新版本的 grpclab 记录（模型 \(model)；本版本运行 \(SessionState.modelVersion)）；请使用那个 grpclab，或运行 'grpclab reset' 重新开始"
    case (.otherLab(let path, let holds, let asked), .en):
      "the workspace '\(path)' holds the lab '\(holds)', not '\(asked)'; open '\(asked)' in another folder with --workspace DIR"
    case (.otherLab(let path, let holds, let asked), .zh):
      "工作区 '\(path)' 中是实验 '\(holds)'，不是 '\(asked)'；请用 --workspace DIR 在另一个文件夹中打开 '\(asked)'"
    case (.otherSeed(let path, let holds, let asked), .en):
      "the workspace '\(path)' holds a session of seed \(holds), not \(asked); run 'grpclab reset --seed \(asked)' there first, or use another folder with --workspace DIR"
    case (.otherSeed(let path, let holds, let asked), .zh):
      "工作区 '\(path)' 中的会话使用种子 \(holds)，不是 \(asked)；请先在那里运行 'grpclab reset --seed \(asked)'，或用 --workspace DIR 使用另一个文件夹"
    case (.io(let path, let problem), .en): "cannot access '\(path)': \(problem)"
    case (.io(let path, let problem), .zh): "无法访问 '\(path)'：\(problem)"
    case (.unreplayable(let entry, let line, let cause, let wayOut), .en):
      (cause.map { "journal entry \(entry) ('\(line.prefix(60))') changed the cluster when it ran but fails when replayed: \($0)" }
        ?? "grpclab stopped twice while replaying journal entry \(entry) ('\(line.prefix(60))')")
        + (wayOut == .undo
          ? "; run 'grpclab undo' to take it back"
          : "; run 'grpclab reset --step \(wayOut.step)' to start step \(wayOut.step) again")
    case (.unreplayable(let entry, let line, let cause, let wayOut), .zh):
      (cause.map { "日志第 \(entry) 条（'\(line.prefix(60))'）运行时改变了集群，重放时却失败：\($0)" }
        ?? "重放日志第 \(entry) 条（'\(line.prefix(60))'）时 grpclab 两次中止")
        + (wayOut == .undo
          ? "；运行 'grpclab undo' 撤销它"
          : "；运行 'grpclab reset --step \(wayOut.step)' 重新开始第 \(wayOut.step) 步")
    case (.usage(let problem), _): problem
    case (.lab(let error), _): error.description
    }
  }
}
