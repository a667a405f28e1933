import Testing

@testable import ClusterModel

/// The model's own uniform draws: pinned numbers, the same on every toolchain, so saved journals replay
/// alike.
@Suite struct SplitMix64Tests {
  @Test func drawsArePinned() {
    var rng = SplitMix64(seed: 42)
    #expect((0..<6).map { _ in rng.integer(in: 0...255) } == [189, 40, 71, 88, 9, 222])
    #expect((0..<6).map { _ in rng.integer(in: 0..<27) } == [5, 21, 9, 16, 5, 13])
    #expect((0..<3).map { _ in rng.integer(in: 32768...60999) } == [47262, 47449, 51546])
    #expect(rng.duration(in: .seconds(4)...(.seconds(12))).nanoseconds == 5_627_480_874)
    #expect(rng.integer(in: Int64.min...Int64.max) == 1_910_607_418_205_583_989)
  }
}
