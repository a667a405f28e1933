/// The CA bundles each namespace holds, as their controllers publish them: `kube-root-ca.crt` (the API
/// server's CA, by kube-controller-manager), `openshift-service-ca.crt` (the service CA, by OpenShift's
/// service-ca operator) and, in the control plane's namespace and mesh members, `istio-ca-root-cert` (the
/// mesh's root, by istiod), which the sidecar mounts. `Cluster.publishCABundles` creates those missing.
enum CABundles {
  /// The ConfigMaps' names: the API server's CA, the service CA, and the mesh's root.
  private static let (apiServerName, serviceName, meshName) = ("kube-root-ca.crt", "openshift-service-ca.crt", "istio-ca-root-cert")

  /// The names of the bundles a namespace holds, in the order `bundles(in:meshMember:)` gives them.
  static func names(meshMember: Bool) -> [String] {
    meshMember ? [apiServerName, serviceName, meshName] : [apiServerName, serviceName]
  }

  /// The bundles `namespace` holds; `meshMember` when it is the control plane's or a member of the mesh.
  static func bundles(in namespace: String, meshMember: Bool) -> [ConfigMap] {
    var bundles = [
      ConfigMap(metadata: ObjectMeta(name: apiServerName, namespace: namespace), data: ["ca.crt": apiServerCA]),
      ConfigMap(
        metadata: ObjectMeta(
          name: serviceName, namespace: namespace,
          annotations: ["service.beta.openshift.io/inject-cabundle": "true"]),
        data: ["service-ca.crt": serviceCA]),
    ]
    if meshMember {
      bundles.append(ConfigMap(
        metadata: ObjectMeta(name: meshName, namespace: namespace, labels: ["istio.io/config": "true"]),
        data: ["root-cert.pem": meshRootCA]))
    }
    return bundles
  }

  /// The API server's CA, as kube-controller-manager publishes it.
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

  /// The service CA, as OpenShift's service-ca operator publishes it.
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

  /// The mesh's root certificate, as istiod publishes it.
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
