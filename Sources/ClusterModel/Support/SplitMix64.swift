/// A small, fast, seedable random number generator (SplitMix64).
///
/// Every random choice in the model draws from one of these, so the same seed gives the same cluster.
public struct SplitMix64: RandomNumberGenerator, Equatable, Sendable, Codable {
  private var state: UInt64

  /// Creates a generator whose sequence is fixed by `seed`.
  public init(seed: UInt64) {
    state = seed
  }

  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }

  /// A uniformly distributed value in `0..<1`, with 53 bits of precision.
  public mutating func unitInterval() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// A duration drawn uniformly from `range`.
  public mutating func duration(in range: ClosedRange<SimDuration>) -> SimDuration {
    SimDuration(nanoseconds: Int64.random(in: range.lowerBound.nanoseconds...range.upperBound.nanoseconds, using: &self))
  }
}
