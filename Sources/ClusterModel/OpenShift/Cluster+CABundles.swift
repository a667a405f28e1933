extension Cluster {
  /// Publishes the CA bundles every namespace holds, as their controllers do: `kube-root-ca.crt` (the API
  /// server's CA, by kube-controller-manager), `openshift-service-ca.crt` (the service CA, by OpenShift's
  /// service-ca operator) and, in the control plane's namespace and mesh members, `istio-ca-root-cert` (the
  /// mesh's root, by istiod), which the sidecar mounts. A bundle that is deleted comes back.
  ///
  /// - Returns: Whether every bundle is published: one that could not be created is tried again.
  mutating func publishCABundles() -> Bool {
    var published = true
    for case .namespace(let namespace) in store.list(.namespace) where namespace.metadata.deletionTimestamp == nil {
      let name = namespace.metadata.name
      published = publish("kube-root-ca.crt", data: ["ca.crt": Self.apiServerCA], in: name) && published
      published =
        publish(
          "openshift-service-ca.crt", data: ["service-ca.crt": Self.serviceCA], in: name,
          annotations: ["service.beta.openshift.io/inject-cabundle": "true"]) && published
      if name == Self.controlPlaneNamespace || isMeshMember(name) {
        published =
          publish("istio-ca-root-cert", data: ["root-cert.pem": Self.meshRootCA], in: name, labels: ["istio.io/config": "true"])
          && published
      }
    }
    return published
  }

  /// Creates the ConfigMap when it is missing. Its UID comes from its own key, not the cluster's random
  /// stream, which stays as it was for everything else.
  ///
  /// - Returns: Whether the ConfigMap exists now.
  private mutating func publish(
    _ name: String, data: [String: String], in namespace: String, labels: [String: String]? = nil,
    annotations: [String: String]? = nil
  ) -> Bool {
    guard store.configMap(name, in: namespace) == nil else { return true }
    var generator = SplitMix64(seed: Self.fnv1a("\(namespace)/\(name)") ^ UInt64(lastResourceVersion))
    let uid = Hex.uuid(high: generator.next(), low: generator.next(), version: 4)
    let meta = ObjectMeta(name: name, namespace: namespace, labels: labels, annotations: annotations)
    return (try? insert(.configMap(ConfigMap(metadata: meta, data: data)), uid: uid)) != nil
  }

  static let apiServerCA = """
    -----BEGIN CERTIFICATE-----
    MIIBkjCCATmgAwIBAgIUW6zlTFSKhWSn4d2AfRropJTbHc0wCgYIKoZIzj0EAwIw
    NzESMBAGA1UECwwJb3BlbnNoaWZ0MSEwHwYDVQQDDBhrdWJlLWFwaXNlcnZlci1s
    Yi1zaWduZXIwHhcNMjMwNTE2MDkxMjQwWhcNMzMwNTEzMDkxMjQwWjA3MRIwEAYD
    VQQLDAlvcGVuc2hpZnQxITAfBgNVBAMMGGt1YmUtYXBpc2VydmVyLWxiLXNpZ25l
    cjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABBahnPN0o8yDgwRt7SBSBOy/pocm
    J9AS4Z1+6MW+b34MzXZ36S+q/5WwjMsoiLvQhBbyM4/Mgdlm7hRaSI/DP8ejIzAh
    MA8GA1UdEwEB/wQFMAMBAf8wDgYDVR0PAQH/BAQDAgGGMAoGCCqGSM49BAMCA0cA
    MEQCIDd6ivgawMobNvpiJhXzus3c+TlpC3f/81rNric9LwehAiBWqkXqbFm4iUmV
    oRZxXb5/D1knMn7gUmA6oAveFtoiow==
    -----END CERTIFICATE-----
    """

  static let serviceCA = """
    -----BEGIN CERTIFICATE-----
    MIIBkjCCATegAwIBAgIUYnU46vEqZ2xVJGI6tUsHXwAbvu4wCgYIKoZIzj0EAwIw
    NjE0MDIGA1UEAwwrb3BlbnNoaWZ0LXNlcnZpY2Utc2VydmluZy1zaWduZXJAMTY4
    NDIyODM2MDAeFw0yMzA1MTYwOTEyNDBaFw0yNTA1MTUwOTEyNDBaMDYxNDAyBgNV
    BAMMK29wZW5zaGlmdC1zZXJ2aWNlLXNlcnZpbmctc2lnbmVyQDE2ODQyMjgzNjAw
    WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAAS620yM+VnNEvD0WmmZQ6f/kKEYuOSz
    6/HDMbtmzJ51RCJMwzr32vEUVWpBh+jzkjgLrT2fAmBocaCBWRuQDGfKoyMwITAP
    BgNVHRMBAf8EBTADAQH/MA4GA1UdDwEB/wQEAwIBhjAKBggqhkjOPQQDAgNJADBG
    AiEAnctSqoM7BIeIqYc3jB01i7wupQ011fiqECCewls8klsCIQDAffEsYbAsrhbB
    K6IF93qKestKeY1IBTNTlxexdlp+TA==
    -----END CERTIFICATE-----
    """

  static let meshRootCA = """
    -----BEGIN CERTIFICATE-----
    MIIBUzCB+6ADAgECAhQT0Yzgn9+Jcw90RZ7YFMiLq14MqzAKBggqhkjOPQQDAjAY
    MRYwFAYDVQQKDA1jbHVzdGVyLmxvY2FsMB4XDTIzMDUxNjA5Mzc0MFoXDTMzMDUx
    MzA5Mzc0MFowGDEWMBQGA1UECgwNY2x1c3Rlci5sb2NhbDBZMBMGByqGSM49AgEG
    CCqGSM49AwEHA0IABPdIISqz4kaCS9RohNW7zDky0+zzdy8jEiluH9Tjwz5DUuyF
    T/UM4kIA/uH0snCI9u8BW5iZzY1+b6nNFglpqCijIzAhMA8GA1UdEwEB/wQFMAMB
    Af8wDgYDVR0PAQH/BAQDAgGGMAoGCCqGSM49BAMCA0cAMEQCIDe4n/5qSmxV6wuL
    Wvh48nfIUNXeYplsRgwd1c4h1r0BAiBSdDBKRQqM/glWPTb97tYjeMooaQgsZ/o2
    QQGLX6GpAA==
    -----END CERTIFICATE-----
    """
}
