/// An instant on the simulated clock, in nanoseconds since the Unix epoch.
///
/// The model never reads the wall clock; every timestamp it prints derives from a `SimTime`.
public struct SimTime: Comparable, Hashable, Sendable, Codable {
  /// Nanoseconds since 1970-01-01T00:00:00Z.
  public var nanoseconds: Int64

  /// Creates an instant from nanoseconds since the Unix epoch.
  public init(nanoseconds: Int64) {
    self.nanoseconds = nanoseconds
  }

  /// Creates an instant from whole seconds since the Unix epoch.
  public init(seconds: Int64) {
    self.nanoseconds = seconds * 1_000_000_000
  }

  /// Whole seconds since the Unix epoch (rounded down).
  public var seconds: Int64 { nanoseconds.floorDiv(1_000_000_000) }

  /// The start of the `step` (a positive duration) this instant falls in, counting whole steps from the
  /// Unix epoch; the earliest instant the clock holds when that start is earlier still.
  func rounded(downTo step: SimDuration) -> SimTime {
    let (start, overflow) = nanoseconds.floorDiv(step.nanoseconds).multipliedReportingOverflow(by: step.nanoseconds)
    return SimTime(nanoseconds: overflow ? .min : start)
  }

  /// The instant `duration` later, or the latest instant the clock holds when that is later still.
  func adding(clamped duration: SimDuration) -> SimTime {
    let (sum, overflow) = nanoseconds.addingReportingOverflow(duration.nanoseconds)
    return SimTime(nanoseconds: overflow ? (duration.nanoseconds < 0 ? .min : .max) : sum)
  }

  public static func < (lhs: SimTime, rhs: SimTime) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

  /// The instant `duration` later.
  public static func + (lhs: SimTime, rhs: SimDuration) -> SimTime {
    SimTime(nanoseconds: lhs.nanoseconds + rhs.nanoseconds)
  }

  /// The duration from `rhs` to `lhs`.
  public static func - (lhs: SimTime, rhs: SimTime) -> SimDuration {
    SimDuration(nanoseconds: lhs.nanoseconds - rhs.nanoseconds)
  }

  public init(from decoder: any Decoder) throws {
    nanoseconds = try decoder.singleValueContainer().decode(Int64.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(nanoseconds)
  }
}

/// A span of simulated time, in nanoseconds.
public struct SimDuration: Comparable, Hashable, Sendable, Codable {
  /// The length in nanoseconds.
  public var nanoseconds: Int64

  /// Creates a duration of `nanoseconds`.
  public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

  /// A duration of whole seconds.
  public static func seconds(_ value: Int64) -> SimDuration { SimDuration(nanoseconds: value * 1_000_000_000) }
  /// A duration of milliseconds.
  public static func milliseconds(_ value: Int64) -> SimDuration { SimDuration(nanoseconds: value * 1_000_000) }
  /// A duration of microseconds.
  public static func microseconds(_ value: Int64) -> SimDuration { SimDuration(nanoseconds: value * 1_000) }

  /// The whole milliseconds in this duration (rounded down).
  public var milliseconds: Int64 { nanoseconds.floorDiv(1_000_000) }
  /// The whole seconds in this duration (rounded down).
  public var seconds: Int64 { nanoseconds.floorDiv(1_000_000_000) }

  public static func < (lhs: SimDuration, rhs: SimDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
  public static func + (lhs: SimDuration, rhs: SimDuration) -> SimDuration {
    SimDuration(nanoseconds: lhs.nanoseconds + rhs.nanoseconds)
  }
  /// The difference of two durations.
  public static func - (lhs: SimDuration, rhs: SimDuration) -> SimDuration {
    SimDuration(nanoseconds: lhs.nanoseconds - rhs.nanoseconds)
  }

  public init(from decoder: any Decoder) throws {
    nanoseconds = try decoder.singleValueContainer().decode(Int64.self)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(nanoseconds)
  }
}

extension Int64 {
  fileprivate func floorDiv(_ divisor: Int64) -> Int64 {
    let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
    return remainder < 0 ? quotient - 1 : quotient
  }
}
