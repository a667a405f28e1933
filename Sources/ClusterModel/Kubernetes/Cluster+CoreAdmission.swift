import Foundation

extension Cluster {
  /// A Namespace's admission: its name as a label, the `kubernetes` finalizer, and `Active`.
  static func admit(_ namespace: inout Namespace) {
    let name = ["kubernetes.io/metadata.name": namespace.metadata.name]
    namespace.metadata.labels = (namespace.metadata.labels ?? [:]).merging(name) { kept, _ in kept }
    namespace.spec = namespace.spec ?? Namespace.Spec(finalizers: ["kubernetes"])
    namespace.status = Namespace.Status(phase: "Active")
  }

  /// A ConfigMap's admission: its data within the size limit.
  static func admit(_ configMap: ConfigMap) throws(ClusterError) {
    if (configMap.data ?? [:]).reduce(0, { $0 + $1.value.utf8.count }) > Self.configDataLimit {
      throw .invalid(
        .configMap, name: configMap.metadata.name, causes: ["[]: Too long: must have at most \(Self.configDataLimit) bytes"])
    }
  }

  /// A Secret's admission: `stringData` encoded into `data`, every value valid base64, within the size limit.
  static func admit(_ secret: inout Secret) throws(ClusterError) {
    secret.type = secret.type ?? "Opaque"
    for (key, value) in secret.stringData ?? [:] {
      secret.data = secret.data ?? [:]
      secret.data?[key] = Data(value.utf8).base64EncodedString()
    }
    secret.stringData = nil
    var bytes = 0
    for (key, value) in (secret.data ?? [:]).sorted(by: { $0.key < $1.key }) {
      guard let decoded = Data(base64Encoded: value) else {
        throw .badRequest(
          "Secret in version \"v1\" cannot be handled as a Secret: illegal base64 data at input byte 0 (data.\(key))")
      }
      bytes += decoded.count
    }
    if bytes > Self.configDataLimit {
      throw .invalid(.secret, name: secret.metadata.name, causes: ["data: Too long: must have at most \(Self.configDataLimit) bytes"])
    }
  }

  /// A Service's admission: ports validated, then its defaults; a new Service gets a virtual IP, an updated
  /// one keeps its own.
  mutating func admit(_ service: inout Service, existing: APIObject?) throws(ClusterError) {
    var causes: [String] = []
    let ports = service.spec.ports ?? []
    if ports.isEmpty && !service.isHeadless { causes.append("spec.ports: Required value") }
    for (index, port) in ports.enumerated() where !(1...65535).contains(port.port) {
      causes.append("spec.ports[\(index)].port: Invalid value: \(port.port): must be between 1 and 65535, inclusive")
    }
    if ports.count > 1 {
      for (index, port) in ports.enumerated() where (port.name ?? "").isEmpty {
        causes.append("spec.ports[\(index)].name: Required value")
      }
    }
    if !causes.isEmpty { throw .invalid(.service, name: service.metadata.name, causes: causes) }
    service.spec.type = service.spec.type ?? "ClusterIP"
    service.spec.sessionAffinity = service.spec.sessionAffinity ?? "None"
    service.spec.ipFamilies = ["IPv4"]
    service.spec.ipFamilyPolicy = "SingleStack"
    service.spec.internalTrafficPolicy = service.spec.internalTrafficPolicy ?? "Cluster"
    service.spec.ports = ports.map { port in
      var port = port
      port.protocol = port.protocol ?? "TCP"
      port.targetPort = port.targetPort ?? .int(port.port)
      return port
    }
    if case .service(let old) = existing {
      service.spec.clusterIP = old.spec.clusterIP
    } else if service.spec.clusterIP == nil || service.spec.clusterIP == "" {
      service.spec.clusterIP = allocateClusterIP()
    }
    service.spec.clusterIPs = service.spec.clusterIP.map { [$0] }
    service.status = Service.Status(loadBalancer: .init())
  }
}
