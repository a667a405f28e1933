/// An Event (`v1`): something a controller, the scheduler or a kubelet reports about an object.
public struct Event: Codable, Equatable, Sendable {
  public var apiVersion: String = "v1"
  public var kind: String = "Event"
  public var metadata: ObjectMeta
  public var involvedObject: ObjectReference
  public var reason: String
  public var message: String
  public var source: Source
  public var firstTimestamp: Timestamp
  public var lastTimestamp: Timestamp
  public var count: Int
  /// `Normal` or `Warning`.
  public var type: String
  public var reportingComponent: String
  public var reportingInstance: String

  /// The object an event is about.
  public struct ObjectReference: Codable, Equatable, Sendable {
    public var kind: String
    public var namespace: String?
    public var name: String
    public var uid: String?
    public var apiVersion: String
    public var fieldPath: String?
  }

  /// The component that reported it, and on which node.
  public struct Source: Codable, Equatable, Sendable {
    public var component: String
    public var host: String?
  }
}

/// What client-go's event aggregator remembers of similar events (same source, object, type and reason):
/// the different messages seen, and when the last one was.
struct SimilarEvents: Equatable, Sendable, Codable {
  var messages: Set<String> = []
  var last: SimTime
}

extension Cluster {
  /// Similar events with more different messages than this are combined into one (client-go's `maxEvents`).
  static let similarEventsLimit = 10
  /// Similar events further apart than this start counting again (client-go's `maxIntervalInSeconds`).
  static let similarEventsInterval = SimDuration.seconds(600)

  /// The events one component may report about one object at once, then one per `spamInterval`
  /// (client-go's spam filter; the scheduler's newer recorder has none).
  static let spamBurst = 25
  static let spamInterval = SimDuration.seconds(300)

  /// Records an event about `object` as client-go's event recorder does: the same event again is counted
  /// on the stored one; from the tenth different message of similar events on, they are counted on one
  /// event whose message says "(combined from similar events)"; past the spam filter's burst, events
  /// about the object are dropped.
  mutating func recordEvent(
    _ reason: String, _ message: String, about object: APIObject, type: String = "Normal", from component: String,
    host: String? = nil, fieldPath: String? = nil, at time: SimTime? = nil
  ) {
    let now = time ?? self.now
    let namespace = object.metadata.namespace ?? "default"
    let uid = object.metadata.uid
    if component != "default-scheduler" {
      let source = [uid ?? "", component, host ?? ""].joined(separator: "|")
      var bucket = eventSpamFilter[source] ?? ClientRateLimiter(interval: Self.spamInterval, burst: Self.spamBurst)
      guard bucket.take(at: now) else { return }
      eventSpamFilter[source] = bucket
    }
    let similarity = [uid ?? "", component, host ?? "", type, reason].joined(separator: "|")
    var similar = similarEvents[similarity] ?? SimilarEvents(last: now)
    if now - similar.last > Self.similarEventsInterval { similar.messages = [] }
    similar.messages.insert(message)
    similar.last = now
    let combined = similar.messages.count >= Self.similarEventsLimit
    if combined { similar.messages.remove(message) }
    similarEvents[similarity] = similar
    let text = combined ? "(combined from similar events): \(message)" : message
    let identity = combined ? similarity : [similarity, fieldPath ?? "", message].joined(separator: "|")
    if let key = eventIndex[identity], case .event(var event) = store[key] {
      event.count += 1
      event.message = text
      event.lastTimestamp = Timestamp(now)
      write(.event(event))
      return
    }
    var meta = ObjectMeta(name: "\(object.metadata.name).\(String(UInt64(max(now.nanoseconds, 0)), radix: 16))", namespace: namespace)
    meta.uid = newUID()
    meta.creationTimestamp = Timestamp(now)
    while store[ObjectKey(kind: .event, namespace: namespace, name: meta.name)] != nil { meta.name += "0" }
    let event = Event(
      metadata: meta,
      involvedObject: .init(
        kind: object.kind.rawValue, namespace: object.metadata.namespace, name: object.metadata.name, uid: uid,
        apiVersion: object.kind.apiVersion, fieldPath: fieldPath),
      reason: reason, message: text, source: .init(component: component, host: host),
      firstTimestamp: Timestamp(now), lastTimestamp: Timestamp(now), count: 1, type: type, reportingComponent: component,
      reportingInstance: host ?? "")
    eventIndex[identity] = ObjectKey(kind: .event, namespace: namespace, name: meta.name)
    write(.event(event))
  }

  /// The events about the object with `uid`, oldest first.
  public func events(about uid: String?, in namespace: String) -> [Event] {
    guard let uid else { return [] }
    return store.list(.event, namespace: namespace).compactMap { object -> Event? in
      guard case .event(let event) = object, event.involvedObject.uid == uid else { return nil }
      return event
    }.sorted { ($0.firstTimestamp.time, $0.metadata.name) < ($1.firstTimestamp.time, $1.metadata.name) }
  }
}
