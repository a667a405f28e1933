/// A client-go token bucket: `burst` requests at once, then one every `interval`. It limits a controller's
/// API client, and the events one component may report about one object.
///
/// It is kept as the instant the bucket would next be full (a generic cell rate), so it is exact in
/// nanoseconds. The model runs its controllers only when asked, so a client that was refused and still
/// has work is taken to have used every token the moment it came back: asked again later, it catches up.
struct ClientRateLimiter: Equatable, Sendable, Codable {
  /// The time one token takes to come back.
  let interval: SimDuration
  let burst: Int
  /// When the requests let through so far will have paid back their tokens.
  private var paidUntil = SimTime(nanoseconds: .min / 2)
  /// Whether the client was refused and has been waiting for tokens since.
  private var waiting = false

  init(qps: Int64, burst: Int) {
    self.init(interval: SimDuration(nanoseconds: 1_000_000_000 / qps), burst: burst)
  }

  init(interval: SimDuration, burst: Int) {
    self.interval = interval
    self.burst = burst
  }

  /// Takes a token for a request at `now`; false when the bucket is empty.
  mutating func take(at now: SimTime) -> Bool {
    let start = waiting ? paidUntil : max(paidUntil, now)
    guard (start - now).nanoseconds <= interval.nanoseconds * Int64(burst - 1) else {
      waiting = true
      return false
    }
    paidUntil = start + interval
    return true
  }

  /// The client has no more work: the bucket fills up again while it is idle.
  mutating func rest() {
    waiting = false
  }
}
