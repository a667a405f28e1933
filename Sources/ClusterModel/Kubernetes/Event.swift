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

extension Cluster {
  /// Records an event about `object` as client-go's event recorder does: the same event again is counted
  /// on the stored one, or stored again under its name with its count and first time when it expired or
  /// was deleted; from the tenth different message of similar events on, they are counted on one event
  /// whose message says "(combined from similar events)"; past the spam filter's burst, events about the
  /// object are dropped.
  mutating func recordEvent(
    _ reason: String, _ message: String, about object: APIObject, type: String = "Normal", from component: String,
    host: String? = nil, fieldPath: String? = nil, at time: SimTime? = nil
  ) {
    let now = time ?? self.now
    let about = object.metadata
    let namespace = about.namespace ?? "default"
    let uid = about.uid
    guard
      let report = eventCorrelator.value.correlate(
        reason, message, about: uid, type: type, from: component, host: host, fieldPath: fieldPath, at: now)
    else { return }
    let observed = eventCorrelator.value.storedEvent(report)
    if let observed, case .event(var event) = store[observed.key] {
      event.count += 1
      event.message = report.message
      event.lastTimestamp = Timestamp(now)
      write(&event)
      let counted = EventCorrelator.Observation(key: observed.key, count: event.count, first: event.firstTimestamp)
      eventCorrelator.value.remember(counted, as: report)
      return
    }
    let name = observed?.key.name ?? "\(about.name).\(String(UInt64(max(now.nanoseconds, 0)), radix: 16))"
    var meta = ObjectMeta(name: name, namespace: namespace)
    meta.uid = newUID()
    meta.creationTimestamp = Timestamp(now)
    while store[ObjectKey(kind: .event, namespace: namespace, name: meta.name)] != nil { meta.name += "0" }
    let count = (observed?.count ?? 0) + 1
    let first = observed?.first ?? Timestamp(now)
    var event = Event(
      metadata: meta,
      involvedObject: .init(
        kind: object.kind.rawValue, namespace: about.namespace, name: about.name, uid: uid,
        apiVersion: object.kind.apiVersion, fieldPath: fieldPath),
      reason: reason, message: report.message, source: .init(component: component, host: host),
      firstTimestamp: first, lastTimestamp: Timestamp(now), count: count, type: type, reportingComponent: component,
      reportingInstance: host ?? "")
    let key = ObjectKey(kind: .event, namespace: namespace, name: meta.name)
    eventCorrelator.value.remember(EventCorrelator.Observation(key: key, count: count, first: first), as: report)
    write(&event)
  }

  /// Stores `event` under a new resource version, set on it before it is wrapped.
  private mutating func write(_ event: inout Event) {
    write { version in
      event.metadata.resourceVersion = version
      return .event(event)
    }
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
