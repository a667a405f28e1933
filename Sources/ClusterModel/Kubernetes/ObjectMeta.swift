/// Standard object metadata, as in `metav1.ObjectMeta`.
public struct ObjectMeta: Codable, Equatable, Sendable {
  public var name: String
  public var generateName: String?
  public var namespace: String?
  public var uid: String?
  public var resourceVersion: String?
  public var generation: Int64?
  public var creationTimestamp: Timestamp?
  public var deletionTimestamp: Timestamp?
  public var labels: [String: String]?
  public var annotations: [String: String]?
  public var ownerReferences: [OwnerReference]?

  /// Creates metadata with a name and, for namespaced objects, a namespace.
  public init(name: String = "", namespace: String? = nil, labels: [String: String]? = nil, annotations: [String: String]? = nil) {
    self.name = name
    self.namespace = namespace
    self.labels = labels
    self.annotations = annotations
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    name = try c.decodeIfPresent(String.self, forKey: .name) ?? ""
    generateName = try c.decodeIfPresent(String.self, forKey: .generateName)
    namespace = try c.decodeIfPresent(String.self, forKey: .namespace)
    uid = try c.decodeIfPresent(String.self, forKey: .uid)
    resourceVersion = try c.decodeIfPresent(String.self, forKey: .resourceVersion)
    generation = try c.decodeIfPresent(Int64.self, forKey: .generation)
    creationTimestamp = try c.decodeIfPresent(Timestamp.self, forKey: .creationTimestamp)
    deletionTimestamp = try c.decodeIfPresent(Timestamp.self, forKey: .deletionTimestamp)
    labels = try c.decodeIfPresent([String: String].self, forKey: .labels)
    annotations = try c.decodeIfPresent([String: String].self, forKey: .annotations)
    ownerReferences = try c.decodeIfPresent([OwnerReference].self, forKey: .ownerReferences)
  }

  private enum CodingKeys: String, CodingKey {
    case name, generateName, namespace, uid, resourceVersion, generation, creationTimestamp, deletionTimestamp, labels
    case annotations, ownerReferences
  }

  /// Encodes as the API does: an empty name (a pod template's) is left out.
  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    if !name.isEmpty { try c.encode(name, forKey: .name) }
    try c.encodeIfPresent(generateName, forKey: .generateName)
    try c.encodeIfPresent(namespace, forKey: .namespace)
    try c.encodeIfPresent(uid, forKey: .uid)
    try c.encodeIfPresent(resourceVersion, forKey: .resourceVersion)
    try c.encodeIfPresent(generation, forKey: .generation)
    try c.encodeIfPresent(creationTimestamp, forKey: .creationTimestamp)
    try c.encodeIfPresent(deletionTimestamp, forKey: .deletionTimestamp)
    try c.encodeIfPresent(labels, forKey: .labels)
    try c.encodeIfPresent(annotations, forKey: .annotations)
    try c.encodeIfPresent(ownerReferences, forKey: .ownerReferences)
  }

  /// The labels, or an empty dictionary.
  public var labelSet: [String: String] { labels ?? [:] }

  /// The value of annotation `key`, if set.
  public func annotation(_ key: String) -> String? { annotations?[key] }
}

/// A link from a dependent object to its controller.
public struct OwnerReference: Codable, Equatable, Sendable {
  public var apiVersion: String
  public var kind: String
  public var name: String
  public var uid: String
  public var controller: Bool?
  public var blockOwnerDeletion: Bool?
}

/// A point in simulated time that encodes as an RFC 3339 string, as the Kubernetes API does.
public struct Timestamp: Codable, Hashable, Sendable, Comparable {
  public var time: SimTime

  public init(_ time: SimTime) { self.time = time }

  public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.time < rhs.time }

  /// The `userInfo` key that asks for the time to the nanosecond, as a cluster's archive does.
  static let exactKey = CodingUserInfoKey(rawValue: "grpclab.exact-time")

  /// Whether `userInfo` asks for the time to the nanosecond rather than the API's RFC 3339 seconds.
  private static func isExact(_ userInfo: [CodingUserInfoKey: Any]) -> Bool {
    exactKey.flatMap { userInfo[$0] as? Bool } == true
  }

  public init(from decoder: any Decoder) throws {
    if Self.isExact(decoder.userInfo) {
      time = try SimTime(from: decoder)
      return
    }
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let time = Timestamp.parse(text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "parsing time \"\(text)\" as RFC 3339"))
    }
    self.time = time
  }

  public func encode(to encoder: any Encoder) throws {
    if Self.isExact(encoder.userInfo) { return try time.encode(to: encoder) }
    var c = encoder.singleValueContainer()
    try c.encode(time.rfc3339)
  }

  /// The years a parsed time may fall in: the model's clock counts nanoseconds in 64 bits, and the age of
  /// any such time, now or later, must still fit.
  static let parsedYears = 1800...2200

  /// Parses `YYYY-MM-DDTHH:MM:SSZ`; nil for text of another form, a field out of its range, or a year
  /// outside `parsedYears`.
  static func parse(_ text: String) -> SimTime? {
    let parts = text.split(whereSeparator: { "-T:Z".contains($0) }).map { Int($0) }
    guard parts.count == 6, text.hasSuffix("Z"), let y = parts[0], let mo = parts[1], let d = parts[2],
      let h = parts[3], let mi = parts[4], let s = parts[5], parsedYears.contains(y), (1...12).contains(mo),
      (1...31).contains(d), (0...23).contains(h), (0...59).contains(mi), (0...59).contains(s)
    else { return nil }
    return CivilTime.time(year: y, month: mo, day: d, hour: h, minute: mi, second: s)
  }
}

/// An integer or a string, as used by `targetPort`.
public enum IntOrString: Codable, Equatable, Sendable, CustomStringConvertible {
  case int(Int)
  case string(String)

  public init(from decoder: any Decoder) throws {
    let c = try decoder.singleValueContainer()
    if let value = try? c.decode(Int.self) {
      self = .int(value)
    } else {
      self = .string(try c.decode(String.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.singleValueContainer()
    switch self {
    case .int(let value): try c.encode(value)
    case .string(let value): try c.encode(value)
    }
  }

  public var description: String {
    switch self {
    case .int(let value): String(value)
    case .string(let value): value
    }
  }
}

extension ObjectMeta {
  /// When the object was stored, which orders objects the oldest first; one never stored counts as newer
  /// than every stored one.
  var createdAt: SimTime {
    creationTimestamp?.time ?? SimTime(nanoseconds: .max)
  }
}
