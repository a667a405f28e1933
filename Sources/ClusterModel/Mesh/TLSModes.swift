/// `PeerAuthentication` `spec.mtls.mode`: what a workload's sidecar accepts inbound.
public enum PeerAuthenticationMode: String, CaseIterable, Equatable, Sendable, Codable {
  case unset = "UNSET"
  case disable = "DISABLE"
  case permissive = "PERMISSIVE"
  case strict = "STRICT"
}

/// `DestinationRule` `trafficPolicy.tls.mode`: the TLS a client sidecar originates.
public enum ClientTLSMode: String, CaseIterable, Equatable, Sendable, Codable {
  case disable = "DISABLE"
  case simple = "SIMPLE"
  case mutual = "MUTUAL"
  case istioMutual = "ISTIO_MUTUAL"
}

/// `Gateway` `servers[].tls.mode`: the TLS a gateway terminates, or passes through.
public enum ServerTLSMode: String, CaseIterable, Equatable, Sendable {
  case passthrough = "PASSTHROUGH"
  case simple = "SIMPLE"
  case mutual = "MUTUAL"
  case autoPassthrough = "AUTO_PASSTHROUGH"
  case istioMutual = "ISTIO_MUTUAL"
  case optionalMutual = "OPTIONAL_MUTUAL"
}
