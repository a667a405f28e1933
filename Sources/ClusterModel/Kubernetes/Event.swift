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
    guard
      let report = eventCorrelator.value.correlate(
        reason, message, about: uid, type: type, from: component, host: host, fieldPath: fieldPath, at: now)
    else { return }
    if let key = eventCorrelator.value.storedEvent(report), case .event(var event) = store[key] {
      event.count += 1
      event.message = report.message
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
      reason: reason, message: report.message, source: .init(component: component, host: host),
      firstTimestamp: Timestamp(now), lastTimestamp: Timestamp(now), count: 1, type: type, reportingComponent: component,
      reportingInstance: host ?? "")
    eventCorrelator.value.remember(ObjectKey(kind: .event, namespace: namespace, name: meta.name), as: report)
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
