import Synchronization

/// What one process knows of the cost of a workspace's snapshot, so that one is written only when it pays:
/// how long the last read or write of the snapshot took, and how long a load would now spend replaying the
/// journal entries after it.
///
/// The copies of a `Workspace` share it. It weighs time only to decide when to write a snapshot, never
/// what a command does or prints.
final class SnapshotCosts: Sendable {
  private struct Costs {
    /// Nanoseconds the last read or write of the snapshot took; nil when none was read or written.
    var snapshot: UInt64?
    /// Nanoseconds a load would spend replaying the entries after the snapshot.
    var replay: UInt64 = 0
    /// When the running command started, on the workspace's stopwatch.
    var commandStarted: UInt64?
  }

  private let costs = Mutex(Costs())

  /// Notes a load that read the snapshot in `read` nanoseconds (nil when none fitted) and replayed the
  /// entries after it in `replay`.
  func loaded(read: UInt64?, replay: UInt64) {
    costs.withLock {
      $0.snapshot = read
      $0.replay = replay
    }
  }

  /// Notes that a command starts at `time`: what it does until it is saved, a load will replay.
  func commandStarts(at time: UInt64) {
    costs.withLock { $0.commandStarted = time }
  }

  /// Adds the running command's time, up to `time`, to what a load would replay.
  func commandEnds(at time: UInt64) {
    costs.withLock {
      if let started = $0.commandStarted { $0.replay &+= time &- started }
      $0.commandStarted = nil
    }
  }

  /// Whether writing a snapshot would cost no more than the replay it saves each later load.
  var snapshotPays: Bool {
    costs.withLock { $0.replay >= $0.snapshot ?? 0 }
  }

  /// Notes a snapshot written in `nanoseconds`, after which a load replays nothing.
  func wrote(in nanoseconds: UInt64) {
    costs.withLock {
      $0.snapshot = nanoseconds
      $0.replay = 0
    }
  }
}
