/// What client-go's event correlator remembers of the events one recorder reported, to count, combine and
/// drop events before they reach the API server.
struct EventCorrelator: Equatable, Sendable, Codable, EmptyValue {
  /// A report that passed the correlator: the message to store and what makes two reports the same event.
  struct Report: Equatable {
    var message: String
    var identity: String
  }

  /// Similar events with more different messages than this are combined into one (client-go's `maxEvents`).
  static let similarEventsLimit = 10
  /// Similar events further apart than this start counting again (client-go's `maxIntervalInSeconds`).
  static let similarEventsInterval = SimDuration.seconds(600)
  /// The events one component may report about one object at once, then one per `spamInterval`
  /// (client-go's spam filter; the scheduler's newer recorder has none).
  static let spamBurst = 25
  static let spamInterval = SimDuration.seconds(300)

  /// Where each reported event is stored, by its identity (the event logger's cache).
  private var stored: [String: ObjectKey] = [:]
  /// Similar events seen, by source, object, type and reason (the aggregator's cache).
  private var similar: [String: SimilarEvents] = [:]
  /// The spam filter's token bucket for each source and object.
  private var spamFilter: [String: ClientRateLimiter] = [:]

  init() {}

  /// Correlates an event about the object `uid` at `now`: nil when the spam filter drops it; else the
  /// message to store, which from the tenth different message of similar events on says "(combined from
  /// similar events)", and the identity under which the same event again is counted.
  mutating func correlate(
    _ reason: String, _ message: String, about uid: String?, type: String, from component: String, host: String?,
    fieldPath: String?, at now: SimTime
  ) -> Report? {
    if component != "default-scheduler" {
      let source = [uid ?? "", component, host ?? ""].joined(separator: "|")
      var bucket = spamFilter[source] ?? ClientRateLimiter(interval: Self.spamInterval, burst: Self.spamBurst)
      guard bucket.take(at: now) else { return nil }
      spamFilter[source] = bucket
    }
    let similarity = [uid ?? "", component, host ?? "", type, reason].joined(separator: "|")
    var events = similar[similarity] ?? SimilarEvents(last: now)
    if now - events.last > Self.similarEventsInterval { events.messages = [] }
    events.messages.insert(message)
    events.last = now
    let combined = events.messages.count >= Self.similarEventsLimit
    if combined { events.messages.remove(message) }
    similar[similarity] = events
    return combined
      ? Report(message: "(combined from similar events): \(message)", identity: similarity)
      : Report(message: message, identity: [similarity, fieldPath ?? "", message].joined(separator: "|"))
  }

  /// Where the event reported as `identity` was stored.
  func storedEvent(_ identity: String) -> ObjectKey? { stored[identity] }

  /// Files the event just stored under `key` as `identity`.
  mutating func remember(_ key: ObjectKey, as identity: String) { stored[identity] = key }
}

/// What client-go's event aggregator remembers of similar events (same source, object, type and reason):
/// the different messages seen, and when the last one was.
struct SimilarEvents: Equatable, Sendable, Codable {
  var messages: Set<String> = []
  var last: SimTime
}
