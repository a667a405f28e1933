import Testing

@testable import ClusterModel

@Suite struct DecimalTextTests {
  @Test(arguments: [
    (0.41666, 2, false, "0.42"), (0.4, 2, true, "0.4"), (33.333, 1, true, "33.3"), (100.0, 1, true, "100"),
    (3.0, 3, true, "3"), (1.005, 3, true, "1.005"), (4.124, 3, false, "4.124"), (0.0005, 3, false, "0.001"),
    (1.5, 0, false, "2"),
  ])
  func roundsAndTrimsAsToFixedDoes(value: Double, digits: Int, trimmed: Bool, expected: String) {
    #expect(value.decimalText(digits: digits, trimmed: trimmed) == expected)
  }

  @Test func goSecondsPrintsMillisecondsWithoutTrailingZeros() {
    #expect(Kubelet.goSeconds(.milliseconds(4_120)) == "4.12s")
    #expect(Kubelet.goSeconds(.milliseconds(1_005)) == "1.005s")
    #expect(Kubelet.goSeconds(.seconds(3)) == "3s")
  }
}
