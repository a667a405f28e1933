import Testing

@testable import ClusterModel

/// Rounding an instant to a step and adding a clamped duration stay within the clock, at its ends too.
@Suite struct SimTimeTests {
  static let minute = SimDuration.seconds(60)

  @Test(arguments: [
    (Int64(0), Int64(0)), (59_999_999_999, 0), (60_000_000_000, 60_000_000_000), (-1, -60_000_000_000),
    (.max, .max - .max % 60_000_000_000), (.min, .min),
  ])
  func anInstantRoundsDownToTheStartOfItsStep(nanoseconds: Int64, start: Int64) {
    #expect(SimTime(nanoseconds: nanoseconds).rounded(downTo: Self.minute) == SimTime(nanoseconds: start))
  }

  @Test func addingPastEitherEndOfTheClockStopsThere() {
    #expect(SimTime(nanoseconds: 5).adding(clamped: .seconds(1)) == SimTime(nanoseconds: 1_000_000_005))
    #expect(SimTime(nanoseconds: .max - 5).adding(clamped: .seconds(1)) == SimTime(nanoseconds: .max))
    #expect(SimTime(nanoseconds: .min + 5).adding(clamped: .seconds(-1)) == SimTime(nanoseconds: .min))
  }

  /// An event an archive says was written at either end of the clock expires without overflow.
  @Test func anEventAtEitherEndOfTheClockExpiresWithoutOverflow() {
    for time in [Int64.min, .max] {
      let event = APIServerTests.event("e", reported: SimTime(nanoseconds: time))
      guard case .event(let stored) = event else { return }
      #expect(APIServer.expiry(of: stored) >= SimTime(nanoseconds: time == .min ? .min : .max))
    }
  }
}
