import ClusterTools
import Foundation
import Testing

@testable import LabKit

/// A journal keeps each entry as its line of JSON: it reads back the entries it was given, keeps the bytes
/// it read, and reads a line that is no entry as a command that fails when replayed.
@Suite struct JournalTests {
  static let entries = [
    JournalEntry(line: "oc new-project grpc", workingDirectory: "/lab", files: [:], changed: true),
    JournalEntry(line: "oc apply -f grpc-v1.yaml", workingDirectory: "/lab", files: ["/lab/grpc-v1.yaml": .file("kind: Deployment\n")], changed: true),
    JournalEntry(line: "oc get pods", workingDirectory: "/lab", files: [:], changed: false),
  ]

  @Test func entriesComeBackFromTheirLines() {
    let journal = Journal(Self.entries)
    let read = Journal(lines: journal.lines)
    #expect(Array(read) == Self.entries)
    #expect(read == journal)
    #expect(String(decoding: journal.lines[0], as: UTF8.self) == #"{"changed":true,"files":{},"line":"oc new-project grpc","workingDirectory":"\/lab"}"#)
  }

  @Test func aLineIsKeptAsItWasRead() {
    let line = ArraySlice(#"{"workingDirectory":"/lab","line":"oc get pods","files":{}, "changed":false}"#.utf8)
    let read = Journal(lines: [line])
    #expect(read[0] == Self.entries[2])
    var copied = Journal()
    copied.append(entryAt: 0, of: read)
    #expect(copied.lines == [line])
    var edited = read
    edited[0].followedUntil = nil
    #expect(edited.lines != [line], "an entry set anew is encoded anew")
  }

  @Test func aLineThatIsNoEntryReadsAsACommandOfItsText() {
    let read = Journal(lines: [ArraySlice("{\"line\":".utf8)])
    #expect(read[0] == JournalEntry(line: "{\"line\":", workingDirectory: "", files: [:], changed: true))
  }

  @Test func aJournalInsideOneDocumentIsAnArrayOfEntries() throws {
    let data = try JSONEncoder().encode(Journal(Self.entries))
    #expect(try JSONDecoder().decode([JournalEntry].self, from: data) == Self.entries)
    #expect(try JSONDecoder().decode(Journal.self, from: data) == Journal(Self.entries))
  }
}
