import ClusterModel
import ClusterTools
import LabKit

extension Workspace {
  /// The longest a watch runs off a terminal, in lab seconds.
  static let watchLimit = 600

  /// Follows the cluster after a command's output, one lab second at a time, each under the lock on the
  /// session as the last save left it (so that what another terminal does shows): a watch
  /// (`oc get pods -w`) prints the rows that changed, a followed log (`oc logs POD -f`) the new lines;
  /// `oc delete` waits until `end`, when its pods are gone.
  ///
  /// On a terminal, a lab second takes a real one, and Ctrl-C stops; a watch goes on until then, a followed
  /// log until its container stops. Elsewhere it runs at once, and ends as soon as nothing followed is
  /// pending (at most `watchLimit` lab seconds).
  func follow(_ line: String, until end: SimTime?, from saved: inout Saved, environment: GrpcLabEnvironment)
    throws(GrpcLabError)
  {
    var watch = ToolSession.following(line, workstation: saved.session.tools.workstation)
    guard watch != nil || end != nil else { return }
    watch?.start(in: saved.session.cluster)
    var ticks = 0
    var toldWaiting = false
    func goesOn(_ cluster: Cluster) -> Bool {
      if let end { return cluster.now < end }
      if watch?.hasEnded(in: cluster) == true { return false }
      return environment.interactive || (ticks < Self.watchLimit && watch?.isPending(in: cluster) == true)
    }
    func waiting(for holder: String) {
      if !toldWaiting { environment.reportWaiting(for: holder) }
      toldWaiting = true
    }
    while goesOn(saved.session.cluster), !environment.interactive || environment.pause(1_000) {
      ticks += 1
      saved = try locked(holder: environment.lockHolder + ": " + line, waiting: waiting(for:)) { () throws(GrpcLabError) -> Saved in
        var current = try refresh(saved, environment)
        current.session.follow(line)
        if let changes = watch?.changes(in: current.session.cluster) { environment.write(changes) }
        return try save(current)
      }
    }
  }
}
