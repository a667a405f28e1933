extension Cluster {
  /// The namespace of the mesh's control plane.
  public static let controlPlaneNamespace = "istio-system"
  /// The OpenShift Service Mesh release the control plane runs.
  public static let meshVersion = "2.5.1"

  /// The member roll's controller: labels member namespaces and publishes which members are configured.
  ///
  /// A namespace belongs to the mesh only while it exists and the roll `default` in the control plane's
  /// namespace lists it, as the Maistra operator reconciles it.
  mutating func syncMemberRoll() {
    let roll = store[ObjectKey(kind: .serviceMeshMemberRoll, namespace: Self.controlPlaneNamespace, name: "default")]
    var members: [String] = []
    if case .serviceMeshMemberRoll(var memberRoll) = roll {
      let listed = memberRoll.spec.members ?? []
      members = listed.filter { store.hasNamespace($0) }
      var status = ServiceMeshMemberRoll.Status()
      status.members = listed
      status.configuredMembers = members
      status.pendingMembers = listed.filter { !members.contains($0) }
      status.meshVersion = Self.meshVersion
      if memberRoll.status != status {
        memberRoll.status = status
        write(.serviceMeshMemberRoll(memberRoll))
      }
    }
    for case .namespace(var namespace) in store.list(.namespace) {
      let member = members.contains(namespace.metadata.name)
      let labelled = namespace.metadata.labels?["maistra.io/member-of"] == Self.controlPlaneNamespace
      guard member != labelled else { continue }
      var labels = namespace.metadata.labels ?? [:]
      labels["maistra.io/member-of"] = member ? Self.controlPlaneNamespace : nil
      labels["kiali.io/member-of"] = member ? Self.controlPlaneNamespace : nil
      namespace.metadata.labels = labels
      write(.namespace(namespace))
    }
  }

  /// The installed control plane `basic`, as the operator reports it.
  static func basicControlPlane() -> ServiceMeshControlPlane {
    var plane = ServiceMeshControlPlane(
      metadata: ObjectMeta(name: "basic", namespace: controlPlaneNamespace),
      spec: .init(
        version: "v2.5", profiles: ["default"],
        proxy: .init(accessLogging: .init(file: .init(name: "/dev/stdout"))),
        tracing: .init(type: "Jaeger", sampling: 10_000),
        gateways: .init(openshiftRoute: .init(enabled: true))))
    var status = ServiceMeshControlPlane.Status()
    status.chartVersion = meshVersion
    status.appliedProfiles = ["default"]
    status.readiness = .init(components: [
      "ready": ["grafana", "istio-egressgateway", "istio-ingressgateway", "istiod", "jaeger", "kiali", "mesh-config", "prometheus", "telemetry-common"],
      "pending": [], "unready": [],
    ])
    plane.status = status
    return plane
  }
}
