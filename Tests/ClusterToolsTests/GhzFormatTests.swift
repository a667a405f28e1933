@testable import ClusterModel
import Testing

@testable import ClusterTools

/// ghz's summary, byte for byte as its template and helpers print it.
@Suite struct GhzFormatTests {
  static func call(_ microseconds: Int64, _ status: GRPCStatusCode = .ok, _ message: String = "") -> LoadCall {
    LoadCall(
      thread: 0, started: SimTime(nanoseconds: 0), duration: .microseconds(microseconds), status: status, message: message,
      http: nil)
  }

  @Test func theSummaryIsGhzsLayout() {
    let report = WorkstationLoadReport(
      started: SimTime(nanoseconds: 0), finished: SimTime(nanoseconds: 10_000_000),
      calls: [Self.call(1_000), Self.call(2_000), Self.call(3_000), Self.call(4_000), Self.call(500, .unavailable, "boom")])
    let bar = String(repeating: "∎", count: 40)
    let expected = """

      Summary:
        Name:\t\tlayout
        Count:\t5
        Total:\t10.00 ms
        Slowest:\t4.00 ms
        Fastest:\t1.00 ms
        Average:\t2.10 ms
        Requests/sec:\t500.00

      Response time histogram:
        1.000 [1] |\(bar)
        1.300 [0] |
        1.600 [0] |
        1.900 [0] |
        2.200 [1] |\(bar)
        2.500 [0] |
        2.800 [0] |
        3.100 [1] |\(bar)
        3.400 [0] |
        3.700 [0] |
        4.000 [1] |\(bar)

      Latency distribution:
        10 % in 1.00 ms 
        25 % in 1.00 ms 
        50 % in 2.00 ms 
        75 % in 3.00 ms 
        90 % in 4.00 ms 
        95 % in 4.00 ms 
        99 % in 4.00 ms 

      Status code distribution:
        [OK]            4 responses   
        [Unavailable]   1 responses   

      Error distribution:
        [1]   rpc error: code = Unavailable desc = boom   


      """
    #expect(Ghz.summary(report, name: "layout") == expected)
  }

  /// With no call that succeeded, the figures of OK calls are zero and the histogram and percentiles empty.
  @Test func aLoadWithoutAnAnswerHasNoHistogram() {
    let report = WorkstationLoadReport(
      started: SimTime(nanoseconds: 0), finished: SimTime(nanoseconds: 4_000_000_000),
      calls: Array(repeating: Self.call(2_000_000, .deadlineExceeded, "context deadline exceeded"), count: 4))
    let summary = Ghz.summary(report, name: nil)
    #expect(summary.hasPrefix("\nSummary:\n  Count:\t4\n  Total:\t4.00 s\n  Slowest:\t0 ns\n  Fastest:\t0 ns\n  Average:\t2.00 s\n  Requests/sec:\t1.00\n"))
    #expect(summary.contains("\nResponse time histogram:\n\nLatency distribution:\n\nStatus code distribution:\n  [DeadlineExceeded]   4 responses   \n"))
  }
}
