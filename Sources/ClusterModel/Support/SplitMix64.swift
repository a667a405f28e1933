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

  /// A value drawn uniformly from `0..<bound` (Lemire's multiply-and-reject), written out here rather
  /// than taken from the standard library, whose algorithm may change between releases: a journal must
  /// replay into the same cluster on every toolchain.
  public mutating func next(below bound: UInt64) -> UInt64 {
    precondition(bound > 0, "bound cannot be zero")
    var product = next().multipliedFullWidth(by: bound)
    if product.low < bound {
      let threshold = (0 &- bound) % bound
      while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
    }
    return product.high
  }

  /// An integer drawn uniformly from `range`.
  public mutating func integer(in range: ClosedRange<Int64>) -> Int64 {
    let span = UInt64(truncatingIfNeeded: range.upperBound &- range.lowerBound)
    guard span < .max else { return Int64(truncatingIfNeeded: next()) }
    return range.lowerBound &+ Int64(truncatingIfNeeded: next(below: span + 1))
  }

  /// An integer drawn uniformly from `range`.
  public mutating func integer(in range: ClosedRange<Int>) -> Int {
    Int(integer(in: Int64(range.lowerBound)...Int64(range.upperBound)))
  }

  /// An integer drawn uniformly from `range`, which must not be empty.
  public mutating func integer(in range: Range<Int>) -> Int {
    range.lowerBound &+ Int(truncatingIfNeeded: next(below: UInt64(truncatingIfNeeded: range.upperBound &- range.lowerBound)))
  }

  /// A duration drawn uniformly from `range`.
  public mutating func duration(in range: ClosedRange<SimDuration>) -> SimDuration {
    SimDuration(nanoseconds: integer(in: range.lowerBound.nanoseconds...range.upperBound.nanoseconds))
  }
}
