import ClusterModel
import ClusterTools

/// What a workspace saves: enough to rebuild the cluster exactly (seed + journal) and the learner's progress.
public struct SessionState: Codable, Equatable, Sendable {
  /// The save format this build writes: 2 adds the learner's clock (`started`, `JournalEntry.at`) to 1; 3
  /// keeps the journal one entry per line after the other fields.
  public static let saveFormat = 3
  /// The save format the session was read from (or `saveFormat`).
  public var version = SessionState.saveFormat
  /// The save formats this build reads.
  public static let readableVersions: ClosedRange<Int> = 1...saveFormat
  /// The version of the cluster model this build runs. It goes up whenever the same journal may replay
  /// into a different cluster, or the cluster's archive changes its layout (a snapshot of another version
  /// is ignored); `SessionSnapshotLayoutTests` fails until it does.
  public static let modelVersion = 18
  /// The version of the model the session started on (nil: before versions were kept, 1).
  public var model: Int? = SessionState.modelVersion
  public var lab: String
  public var seed: UInt64
  public var language: Language
  /// The 0-based index of the current step.
  public var step: Int
  /// Ids of the steps whose checks have passed.
  public var completed: [String]
  /// How many hints of the current step were shown.
  public var hintsShown: Int
  /// Every command that changed the cluster or the clock, in order.
  public var journal: Journal
  /// When the lab started on the learner's clock; nil starts it at the article's date.
  public var started: SimTime?
  /// The session as it was before the last `goto` (or `reset --step`), which `undo` returns to.
  public var beforeLanding: Landing?

  /// A new session at the lab's first step.
  ///
  /// - Parameter started: When the lab starts on the learner's clock; nil keeps the article's date.
  public init(lab: String, seed: UInt64, language: Language = .en, started: SimTime? = nil) {
    self.started = started
    self.lab = lab
    self.seed = seed
    self.language = language
    step = 0
    completed = []
    hintsShown = 0
    journal = Journal()
  }
}

/// One executed command, with every file it read, so replay needs nothing from disk.
public struct JournalEntry: Codable, Equatable, Sendable {
  public var line: String
  public var workingDirectory: String
  public var files: [String: FileContents]
  /// Whether the command changed the cluster (objects, traffic) or the workstation, not only the clock.
  public var changed: Bool?
  /// The learner's clock when the command ran; the simulated clock catches up with it first.
  public var at: SimTime?
  /// Whether the command changed nothing but the clock, not even the current project: a replay moves
  /// the clock as it did and does not run it again.
  public var readOnly: Bool?
  /// For what a command does after its output, a second at a time (a watch's rows, `oc delete` waiting
  /// for its pods to go): the lab time it followed the cluster to.
  public var followedUntil: SimTime?
  /// The exit status `$?` stood for when a line that reads it ran, when it was not 0.
  public var lastStatus: Int32?

  /// The times an entry may hold: from 2000 to 2200, well inside what the clock's nanoseconds can count.
  public static let plausibleTimes = SimTime(seconds: 946_684_800)...SimTime(seconds: 7_258_118_400)

  /// The entry's first time that no lab can have (a save damaged by hand may hold one); nil when none.
  public var implausibleTime: SimTime? {
    [at, followedUntil].compactMap { $0 }.first { !Self.plausibleTimes.contains($0) }
  }

  /// An entry for a command that ran at `at` on the learner's clock (nil: the simulated clock alone).
  public init(line: String, workingDirectory: String, files: [String: FileContents], changed: Bool, at: SimTime? = nil) {
    self.at = at
    self.line = line
    self.workingDirectory = workingDirectory
    self.files = files
    self.changed = changed
  }
}

/// A session before a landing on a step, and where the landing's own commands end in the journal.
public struct Landing: Codable, Equatable, Sendable {
  /// The journal's length right after the landing: `undo` takes back later commands first.
  public var journalCount: Int
  public var step: Int
  public var completed: [String]
  public var hintsShown: Int
  public var journal: Journal
}
