import Testing

@testable import ClusterModel

/// `%q` as Go's `strconv.Quote` writes it.
@Suite struct GoQuoteTests {
  @Test(arguments: [
    ("plain", #""plain""#), ("a\"b\\c", #""a\"b\\c""#), ("\u{07}\u{08}\u{0C}\n\r\t\u{0B}", #""\a\b\f\n\r\t\v""#),
    ("\u{01}\u{7F}", #""\x01\x7f""#), ("é ✓", #""é ✓""#), ("\u{85}\u{2028}\u{E000}", #""\u0085\u2028\ue000""#),
    ("\u{F0000}", #""\U000f0000""#),
  ])
  func quotesAsGoDoes(text: String, quoted: String) {
    #expect(text.goQuoted == quoted)
  }
}
