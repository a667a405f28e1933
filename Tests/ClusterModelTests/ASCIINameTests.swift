import Testing

@testable import ClusterModel

/// Names read byte by byte: ASCII letters, digits and the punctuation a shape allows, nothing else.
@Suite struct ASCIINameTests {
  @Test(arguments: [
    ("a", true), ("v1", true), ("A-b_c.D9", true), ("", false), ("-a", false), ("a.", false), ("_", false), ("a b", false),
    ("é", false), ("ve\u{301}", false), ("a\u{301}b", false), ("١", false), ("a/b", false),
  ])
  func qualifiedNamesAreAlphanumericAtBothEnds(text: String, isQualified: Bool) {
    #expect(ASCIIName.isQualifiedName(text) == isQualified)
    #expect(LabelSelector.isLabelValue(text) == (text.isEmpty || isQualified))
  }
}
