import ClusterTools
import Foundation
import Testing

@testable import LabKit

/// A snapshot this model version wrote must read back as the session it was made of. A snapshot keeps parts
/// of the cluster as text it decodes only when first read, so a layout that changed under the same model
/// version would not fail the load: those parts would read as empty. The fixture
/// (`Fixtures/snapshot-model-N`, of the frozen journal's first two steps, so that it holds calls through
/// kube-proxy and through sidecars, with their logs and traces) makes such a change fail here: give it
/// a new `SessionState.modelVersion`, and record the new fixture with `GRPCLAB_RECORD=1`.
@Suite struct SessionSnapshotLayoutTests {
  static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures/snapshot-model-\(SessionState.modelVersion)")

  /// How many of the frozen journal's entries solve its first two steps: a call through kube-proxy, then
  /// one through sidecars.
  static let stepsOneAndTwo = 17

  @Test func aSnapshotOfThisModelVersionReadsBackAsTheSessionItWasMadeOf() throws {
    var state = try JSONDecoder().decode(SessionState.self, from: Data(contentsOf: FrozenJournalTests.fixture))
    state.journal.removeSubrange(Self.stepsOneAndTwo...)
    let session = try LabSession.rebuild(lab: LabCatalog.lab("grpc-lb"), state: state) { _ in }
    let recorded = (try? Data(contentsOf: Self.fixture)).flatMap { SessionSnapshot(decoding: $0, fitting: state) }
    if ProcessInfo.processInfo.environment["GRPCLAB_RECORD"] == "1", recorded?.tools != session.tools {
      try session.snapshot.encoded().write(to: Self.fixture)
      return
    }
    let loaded = try #require(recorded, "no snapshot of model \(SessionState.modelVersion) fits; record one with GRPCLAB_RECORD=1")
    let same = loaded.tools == session.tools
    #expect(same, "the snapshot's layout or the model changed: give it a new SessionState.modelVersion")
    #expect(!loaded.tools.cluster.store.pods().isEmpty)
    #expect(!loaded.tools.cluster.store.list(.event).isEmpty)
    #expect(loaded.tools.cluster.telemetry.spans.contains { $0.parentID != nil })
  }
}
