import Foundation

/// The commands of a session, in order, each kept as the line of JSON a save holds.
///
/// A save of thousands of commands loads without decoding them: an entry is decoded when it is read, and
/// saved again as the bytes it was read from, so that a command costs the same at the first entry and at
/// the thousandth.
public struct Journal: Equatable, Sendable {
  /// One command: its JSON, and the entry itself when this process made it or decoded it whole.
  private struct Item: Sendable {
    var line: ArraySlice<UInt8>
    var entry: JournalEntry?
  }

  private var items: [Item]

  /// An empty journal.
  public init() {
    items = []
  }

  /// The journal whose entries `lines` hold, one JSON object each, as `lines` gives them back.
  public init(lines: [ArraySlice<UInt8>]) {
    items = lines.map { Item(line: $0) }
  }

  /// Each entry as one line of JSON without its newline: the bytes it was read from, or its encoding.
  public var lines: [ArraySlice<UInt8>] { items.map(\.line) }

  public static func == (lhs: Journal, rhs: Journal) -> Bool {
    lhs.items.count == rhs.items.count && zip(lhs.items, rhs.items).allSatisfy { $0.line == $1.line }
  }

  /// Decodes every entry now, so that reading them again (a replay per seed) decodes none.
  public mutating func decodeEntries() {
    for index in items.indices where items[index].entry == nil { items[index].entry = Self.decoded(items[index].line) }
  }

  /// Appends the entry at `index` of `journal` as it is kept there, without encoding it again.
  public mutating func append(entryAt index: Int, of journal: Journal) {
    items.append(journal.items[index])
  }

  /// An entry's JSON: sorted keys, as a save writes it, so that equal entries have equal lines.
  private static func encoded(_ entry: JournalEntry) -> ArraySlice<UInt8> {
    let encoder = JSONEncoder()
    encoder.outputFormatting = .sortedKeys
    return ArraySlice((try? encoder.encode(entry)) ?? Data())
  }

  /// The entry a line holds. A line that is no entry (a save damaged by hand) reads as a command made of
  /// its text, which changed the cluster: replaying it fails and names it, and `undo` takes it back.
  private static func decoded(_ line: ArraySlice<UInt8>) -> JournalEntry {
    (try? JSONDecoder().decode(JournalEntry.self, from: Data(line)))
      ?? JournalEntry(line: String(decoding: line, as: UTF8.self), workingDirectory: "", files: [:], changed: true)
  }
}

extension Journal: RandomAccessCollection, MutableCollection, RangeReplaceableCollection {
  public var startIndex: Int { items.startIndex }
  public var endIndex: Int { items.endIndex }

  public subscript(position: Int) -> JournalEntry {
    get { items[position].entry ?? Self.decoded(items[position].line) }
    set { items[position] = Item(line: Self.encoded(newValue), entry: newValue) }
  }

  public mutating func replaceSubrange<C: Collection<JournalEntry>>(_ subrange: Range<Int>, with newElements: C) {
    items.replaceSubrange(subrange, with: newElements.map { Item(line: Self.encoded($0), entry: $0) })
  }
}

extension Journal: Codable {
  /// A journal inside one JSON document, as saves before format 3 keep it: an array of entries.
  public init(from decoder: any Decoder) throws {
    self.init()
    append(contentsOf: try [JournalEntry](from: decoder))
  }

  public func encode(to encoder: any Encoder) throws {
    try Array(self).encode(to: encoder)
  }
}
