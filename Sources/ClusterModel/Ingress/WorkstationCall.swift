import X509

/// A unary gRPC call from the learner's workstation, outside the cluster, as grpcurl makes it.
public struct WorkstationCall: Sendable {
  /// The host name or address dialled.
  public var host: String
  public var port: Int
  /// `-plaintext`: HTTP/2 without TLS.
  public var plaintext: Bool
  /// `-insecure`: skip verifying the server's certificate and name.
  public var insecure: Bool
  /// The authorities `-cacert` trusts; nil trusts the system's roots, which know none of the lab's.
  public var roots: [Certificate]?
  /// The `-cert`/`-key` pair offered to a server that asks for one.
  public var identity: TLSIdentity?
  /// The `:authority` of the request (grpcurl's `-authority`, or `-servername` over TLS), else `host:port`;
  /// its host is also the TLS server name.
  public var authority: String?
  /// `/package.Service/Method`.
  public var path: String
  /// Only connect (grpcurl dials before it finds out that it cannot make the request).
  public var connectOnly = false
  /// The `name` field of the request message (the greeter's `HelloRequest`).
  public var name: String
  /// How long the client waits for the connection to become ready.
  public var connectTimeout: SimDuration
  /// The `user-agent` header.
  public var userAgent: String

  public init(
    host: String, port: Int, plaintext: Bool, insecure: Bool, roots: [Certificate]?, identity: TLSIdentity?,
    authority: String?, path: String, name: String, connectTimeout: SimDuration, userAgent: String
  ) {
    self.authority = authority
    self.host = host
    self.port = port
    self.plaintext = plaintext
    self.insecure = insecure
    self.roots = roots
    self.identity = identity
    self.path = path
    self.name = name
    self.connectTimeout = connectTimeout
    self.userAgent = userAgent
  }
}

/// What became of a workstation call.
public enum WorkstationCallOutcome: Equatable, Sendable, Codable {
  /// The connection never became ready; the text is Go's error (`context deadline exceeded`, `EOF`, an x509 error …).
  case dialFailed(String)
  /// The connection became ready, for a call that only connects.
  case connected
  /// The call ran and the server (or a proxy on the way) answered.
  case completed(GRPCReply)
}

/// A gRPC response as the client receives it.
public struct GRPCReply: Equatable, Sendable, Codable {
  /// Response headers; empty for a trailers-only response.
  public var headers: [HTTPHeader]
  /// The reply message's `message` field, when the call succeeded.
  public var message: String?
  /// Trailers other than `grpc-status` and `grpc-message`.
  public var trailers: [HTTPHeader]
  /// `grpc-status` and `grpc-message`.
  public var status: GRPCStatusCode
  public var statusMessage: String
}

/// Why the ingress gateway refused a client's TLS handshake.
public enum ClientCertificateRefusal: Equatable, Sendable, Codable {
  /// The gateway asked for a certificate (`MUTUAL`) and got none.
  case missing
  /// The certificate did not verify against the gateway's CA.
  case untrusted(CertificateRejection)
}

/// One workstation call, as the cluster's side observed it.
public struct WorkstationCallRecord: Equatable, Sendable, Codable {
  /// When the call started.
  public var time: SimTime
  /// The host the workstation dialled.
  public var host: String
  /// The method the call was for: `/package.Service/Method`.
  public var path: String
  /// How far the call got.
  public var outcome: WorkstationCallOutcome
  /// The ingress gateway pod that terminated TLS, when the router reached one.
  public var gateway: PodRef?
  /// The VirtualService that routed the call at the gateway (`name.namespace`).
  public var virtualService: String?
  /// The pod that served the call.
  public var server: PodRef?
  /// Why the gateway refused the handshake, when it did.
  public var refusal: ClientCertificateRefusal?
}
