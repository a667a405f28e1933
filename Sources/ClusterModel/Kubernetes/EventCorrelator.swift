/// What client-go's event correlators remember of the events each recorder reported, to count, combine and
/// drop events before they reach the API server.
struct EventCorrelator: Equatable, Sendable, Codable, EmptyValue {
  /// A report that passed the correlator: the message to store, what makes two reports the same event,
  /// and the recorder that reported it.
  struct Report: Equatable {
    var message: String
    var identity: String
    var recorder: String
  }

  /// Similar events with more different messages than this are combined into one (client-go's `maxEvents`).
  static let similarEventsLimit = 10
  /// Similar events further apart than this start counting again (client-go's `maxIntervalInSeconds`).
  static let similarEventsInterval = SimDuration.seconds(600)
  /// The events one component may report about one object at once, then one per `spamInterval`
  /// (client-go's spam filter; the scheduler's newer recorder has none).
  static let spamBurst = 25
  static let spamInterval = SimDuration.seconds(300)
  /// The most entries each of a recorder's caches holds (client-go's `maxLruCacheEntries`).
  static let cacheEntries = 4096

  /// What a recorder remembers of an event it stored (client-go's `eventLog`): where, how many times it
  /// was reported, and when first, so that it can store it again as it was when it expired or was deleted.
  struct Observation: Equatable, Sendable, Codable {
    var key: ObjectKey
    var count: Int
    var first: Timestamp
  }

  /// What one recorder remembers. Each cache drops its least recently used entry to make room, so a
  /// recorder that reported more different events (or about more objects) than a cache holds counts an
  /// old one afresh.
  struct Memory: Equatable, Sendable, Codable {
    /// Each reported event, by its identity (the event logger's cache).
    var stored = LeastRecentlyUsed<Observation>(capacity: EventCorrelator.cacheEntries)
    /// Similar events seen, by object, type and reason (the aggregator's cache).
    var similar = LeastRecentlyUsed<SimilarEvents>(capacity: EventCorrelator.cacheEntries)
    /// The spam filter's token bucket for each object.
    var spamFilter = LeastRecentlyUsed<ClientRateLimiter>(capacity: EventCorrelator.cacheEntries)

    /// `EventCorrelator.correlate` for this recorder, named `recorder`, whose events about `object` pass
    /// its spam filter first when `spamFiltered`.
    mutating func correlate(
      _ reason: String, _ message: String, about object: String, type: String, spamFiltered: Bool, fieldPath: String?,
      at now: SimTime, recorder: String
    ) -> Report? {
      if spamFiltered {
        let accepted = spamFilter.update(object) { bucket in
          var taken = bucket ?? ClientRateLimiter(interval: EventCorrelator.spamInterval, burst: EventCorrelator.spamBurst)
          guard taken.take(at: now) else { return false }
          bucket = taken
          return true
        }
        guard accepted else { return nil }
      }
      let similarity = "\(object)|\(type)|\(reason)"
      let combined = similar.update(similarity) { seen in
        var events = seen ?? SimilarEvents(last: now)
        if now - events.last > EventCorrelator.similarEventsInterval { events.messages = [] }
        events.messages.insert(message)
        events.last = now
        let combined = events.messages.count >= EventCorrelator.similarEventsLimit
        if combined { events.messages.remove(message) }
        seen = events
        return combined
      }
      return combined
        ? Report(message: "(combined from similar events): \(message)", identity: similarity, recorder: recorder)
        : Report(message: message, identity: "\(similarity)|\(fieldPath ?? "")|\(message)", recorder: recorder)
    }
  }

  /// What each recorder remembers, by its component and host: each kubelet, controller and scheduler
  /// reports through a correlator of its own.
  private var recorders: [String: Memory] = [:]

  init() {}

  /// Correlates an event about the object `uid` at `now`: nil when the spam filter drops it; else the
  /// message to store, which from the tenth different message of similar events on says "(combined from
  /// similar events)", and the identity under which the same event again is counted.
  mutating func correlate(
    _ reason: String, _ message: String, about uid: String?, type: String, from component: String, host: String?,
    fieldPath: String?, at now: SimTime
  ) -> Report? {
    let recorder = "\(component)|\(host ?? "")"
    let object = uid ?? ""
    return recorders[recorder, default: Memory()].correlate(
      reason, message, about: object, type: type, spamFiltered: component != "default-scheduler", fieldPath: fieldPath,
      at: now, recorder: recorder)
  }

  /// What the recorder remembers of the event `report` is the same as, which becomes its most recently used.
  mutating func storedEvent(_ report: Report) -> Observation? {
    recorders[report.recorder]?.stored.value(for: report.identity)
  }

  /// Remembers the event `report` reports as just stored.
  mutating func remember(_ observation: Observation, as report: Report) {
    recorders[report.recorder, default: Memory()].stored.set(observation, for: report.identity)
  }
}

/// What client-go's event aggregator remembers of similar events (same source, object, type and reason):
/// the different messages seen, and when the last one was.
struct SimilarEvents: Equatable, Sendable, Codable {
  var messages: Set<String> = []
  var last: SimTime
}
