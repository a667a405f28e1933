import ClusterModel
import Testing

@testable import ClusterTools

@Suite struct GoFormatTests {
  @Test(arguments: [
    (0.0056869, "0.0056869"), (8.8632e-05, "8.8632e-05"), (0.000499, "0.000499"), (1_234_567, "1.234567e+06"),
    (123_456, "123456"), (3, "3"), (0, "0"), (-0.25, "-0.25"), (1e-10, "1e-10"), (99.9, "99.9"),
  ])
  func shortestG(value: Double, text: String) {
    #expect(GoFormat.g(value) == text)
  }

  @Test func precisionG() {
    #expect(GoFormat.g(0.0056869, significant: 8) == "0.0056869")
    #expect(GoFormat.g(0.003869, significant: 4) == "0.003869")
    #expect(GoFormat.g(0.0007495, significant: 6) == "0.0007495")
    #expect(GoFormat.g(334.16, significant: 5) == "334.16")
    #expect(GoFormat.g(5.94e-05, significant: 4) == "5.94e-05")
  }

  @Test(arguments: [
    (0, "0s"), (850, "850ns"), (1_500, "1.5µs"), (59_852_400, "59.8524ms"), (1_500_000_000, "1.5s"),
    (120_250_000_000, "2m0.25s"), (3_600_000_000_000, "1h0m0s"),
  ] as [(Int64, String)])
  func durations(nanoseconds: Int64, text: String) {
    #expect(GoFormat.duration(SimDuration(nanoseconds: nanoseconds)) == text)
  }

  @Test func parsesGoDurations() {
    #expect(GoFormat.parseDuration("5s") == .seconds(5))
    #expect(GoFormat.parseDuration("1m30s") == .seconds(90))
    #expect(GoFormat.parseDuration("250ms") == .milliseconds(250))
    #expect(GoFormat.parseDuration("1.5h") == .seconds(5_400))
    #expect(GoFormat.parseDuration("0") == SimDuration(nanoseconds: 0))
    #expect(GoFormat.parseDuration("5") == nil)
    #expect(GoFormat.parseDuration("five") == nil)
    #expect(GoFormat.parseDuration("") == nil)
  }
}

@Suite struct FortioHistogramTests {
  /// Values that fall in the buckets of the sample in Istio's circuit-breaking task, with its minimum
  /// and maximum: the task's rows and percentiles follow from the buckets alone.
  @Test func rowsAndPercentilesMatchIstiosCircuitBreakingSample() {
    var histogram = FortioHistogram(resolution: 0.001)
    let values: [Double] = [
      0.000499, 0.0008, 0.0015, 0.0031, 0.0032, 0.0033, 0.0034, 0.0035, 0.0036, 0.0041, 0.0042, 0.0055, 0.0061,
      0.0062, 0.0071, 0.0072, 0.0085, 0.0115, 0.013, 0.0144329,
    ]
    for value in values { histogram.record(value) }
    let lines = histogram.printed("Aggregated Function Time", targets: [50, 75, 90, 99, 99.9]).split(separator: "\n").dropFirst()
    #expect(Array(lines) == [
      "# range, mid point, percentile, count",
      ">= 0.000499 <= 0.001 , 0.0007495 , 10.00, 2",
      "> 0.001 <= 0.002 , 0.0015 , 15.00, 1",
      "> 0.003 <= 0.004 , 0.0035 , 45.00, 6",
      "> 0.004 <= 0.005 , 0.0045 , 55.00, 2",
      "> 0.005 <= 0.006 , 0.0055 , 60.00, 1",
      "> 0.006 <= 0.007 , 0.0065 , 70.00, 2",
      "> 0.007 <= 0.008 , 0.0075 , 80.00, 2",
      "> 0.008 <= 0.009 , 0.0085 , 85.00, 1",
      "> 0.011 <= 0.012 , 0.0115 , 90.00, 1",
      "> 0.012 <= 0.014 , 0.013 , 95.00, 1",
      "> 0.014 <= 0.0144329 , 0.0142165 , 100.00, 1",
      "# target 50% 0.0045",
      "# target 75% 0.0075",
      "# target 90% 0.012",
      "# target 99% 0.0143463",
      "# target 99.9% 0.0144242",
    ])
  }

  @Test func aValueOnABoundFallsInTheBucketThatEndsThere() {
    var histogram = FortioHistogram(resolution: 0.001)
    histogram.record(0.002)
    histogram.record(0.0021)
    let rows = histogram.printed("x", targets: []).split(separator: "\n").dropFirst(2)
    #expect(Array(rows) == [">= 0.002 <= 0.002 , 0.002 , 50.00, 1", "> 0.002 <= 0.0021 , 0.00205 , 100.00, 1"])
  }

  @Test func theCounterLineUsesFortiosPrecisions() {
    var histogram = FortioHistogram(resolution: 0.001)
    for value in [0.001, 0.002, 0.004] { histogram.record(value) }
    #expect(histogram.counterLine("Aggregated Function Time")
      == "Aggregated Function Time : count 3 avg 0.0023333333 +/- 0.001247 min 0.001 max 0.004 sum 0.007\n")
  }
}
