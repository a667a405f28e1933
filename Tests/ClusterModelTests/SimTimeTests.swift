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

  /// The timestamps of logs, events and headers, as `date -u` prints the same instants.
  @Test(arguments: [
    (Int64(1_684_510_814_123_456_789), "2023-05-19T15:40:14Z", "2023-05-19T15:40:14.123Z", "2023-05-19T15:40:14.123456789Z",
     "2023-05-19 15:40:14,123", "Fri, 19 May 2023 15:40:14 GMT"),
    (0, "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z", "1970-01-01T00:00:00.000000000Z", "1970-01-01 00:00:00,000",
     "Thu, 01 Jan 1970 00:00:00 GMT"),
    (951_782_405_000_001_000, "2000-02-29T00:00:05Z", "2000-02-29T00:00:05.000Z", "2000-02-29T00:00:05.000001000Z",
     "2000-02-29 00:00:05,000", "Tue, 29 Feb 2000 00:00:05 GMT"),
  ])
  func anInstantPrintsInEachFormat(nanoseconds: Int64, seconds: String, millis: String, nanos: String, quarkus: String, http: String) {
    let time = SimTime(nanoseconds: nanoseconds)
    #expect(time.rfc3339 == seconds)
    #expect(time.rfc3339(fractionDigits: 3) == millis)
    #expect(time.rfc3339Nano == nanos)
    #expect(time.quarkusLogTimestamp == quarkus)
    #expect(time.httpDate == http)
  }
}
