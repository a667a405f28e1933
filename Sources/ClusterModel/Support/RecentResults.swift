import Synchronization

/// The results a pure function gave lately, by their input, shared by every thread: a sweep over seeds
/// and a replay under another seed ask the same questions again and again, and working an answer out
/// costs far more than looking it up. It keeps at most `capacity` results and starts afresh when full; an
/// input whose function threw keeps nothing.
public final class RecentResults<Input: Hashable & Sendable, Result: Sendable>: Sendable {
  /// The results kept, by input.
  private let results = Mutex<[Input: Result]>([:])
  /// How many results it keeps before it starts afresh.
  private let capacity: Int

  /// Keeps at most `capacity` results.
  public init(capacity: Int) {
    self.capacity = capacity
  }

  /// The result for `input`: the one kept, else what `compute` gives, kept from now on.
  public func result<Failure: Error>(for input: Input, _ compute: () throws(Failure) -> Result) throws(Failure) -> Result {
    if let kept = results.withLock({ $0[input] }) { return kept }
    let result = try compute()
    results.withLock { results in
      if results.count >= capacity { results.removeAll(keepingCapacity: true) }
      results[input] = result
    }
    return result
  }
}

/// `RecentResults` for inputs that can be compared but not hashed: it keeps the last `capacity` results,
/// dropping the oldest, and finds one by comparing its input with each kept one.
public final class RecentComparedResults<Input: Equatable & Sendable, Result: Sendable>: Sendable {
  /// The results kept, oldest first.
  private let results = Mutex<[(input: Input, result: Result)]>([])
  /// How many results it keeps.
  private let capacity: Int

  /// Keeps the last `capacity` results.
  public init(capacity: Int) {
    self.capacity = capacity
  }

  /// The result for `input`: the one kept for an equal input, else what `compute` gives, kept from now on.
  public func result(for input: Input, _ compute: () -> Result) -> Result {
    if let kept = results.withLock({ $0.first { $0.input == input }?.result }) { return kept }
    let result = compute()
    results.withLock { results in
      results.append((input, result))
      if results.count > capacity { results.removeFirst() }
    }
    return result
  }
}
