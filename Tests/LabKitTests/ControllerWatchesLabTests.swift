import ClusterTools
import Testing

@testable import ClusterModel
@testable import LabKit

/// Every lab's solutions print the same, and leave the same cluster, whether controllers and kubelets skip
/// what is settled or run everything every pass.
@Suite struct ControllerWatchesLabTests {
  @Test(arguments: LabCatalog.ids)
  func aLabsSolutionsRunAlikeWhenEveryControllerRunsEveryPass(lab id: String) throws {
    let lab = try LabCatalog.lab(id)
    let files = LabFiles(lab: lab)
    var watched = ToolSession(cluster: Cluster(seed: 7))
    var everything = watched
    everything.cluster.api.watches.runsEverything = true
    for line in lab.steps.flatMap(\.solution) {
      let output = watched.run(line, files: files, workingDirectory: "/workspace").0
      let baseline = everything.run(line, files: files, workingDirectory: "/workspace").0
      #expect(output == baseline, "\(line)")
      watched.cluster.advance(by: .seconds(20))
      everything.cluster.advance(by: .seconds(20))
    }
    let same = watched == everything
    #expect(same)
    #expect(watched.cluster.store.pods().count > Cluster(seed: 7).store.pods().count)
  }
}
