import Testing

@testable import ClusterModel

@Suite struct HexTests {
  @Test(arguments: [(UInt64(0), "0000000000000000"), (0x1f, "000000000000001f"), (.max, "ffffffffffffffff")])
  func digitsArePaddedToSixteen(value: UInt64, text: String) {
    #expect(Hex.digits(value) == text)
  }

  /// The version replaces the 13th digit, and the variant the 17th, from the top two bits of `low`.
  @Test(arguments: [
    (UInt64(0x0123_4567_89ab_cdef), UInt64(0xfedc_ba98_7654_3210), UInt8(4), "01234567-89ab-4def-bedc-ba9876543210"),
    (0, 0, 4, "00000000-0000-4000-8000-000000000000"),
    (.max, 0x7fff_ffff_ffff_ffff, 1, "ffffffff-ffff-1fff-9fff-ffffffffffff"),
  ])
  func uuidsHaveTheirVersionAndVariant(high: UInt64, low: UInt64, version: UInt8, text: String) {
    #expect(Hex.uuid(high: high, low: low, version: version) == text)
  }
}
