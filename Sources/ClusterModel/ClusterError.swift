/// An API request the cluster refused, with the status reason and message the API server would send.
public enum ClusterError: Error, Equatable, Sendable, CustomStringConvertible {
  /// The named object does not exist: `pods "web" not found`.
  case notFound(ResourceKind, name: String)
  /// An object with that name exists: `configmaps "grpcconfig" already exists`.
  case alreadyExists(ResourceKind, name: String)
  /// A project with that name exists (OpenShift's project API).
  case projectAlreadyExists(name: String)
  /// The object failed validation; `causes` are `field: detail` lines.
  case invalid(ResourceKind, name: String, causes: [String])
  /// A label selector that does not parse.
  case invalidSelector(String)
  /// The request is malformed in a way validation does not cover.
  case badRequest(String)
  /// A validating admission webhook refused the object: `admission webhook "validation.istio.io" denied the request: …`.
  case denied(webhook: String, reason: String = "", message: String)
  /// An admission plugin refused the request: `pods "web" is forbidden: unable to create new content in
  /// namespace test because it is being terminated`.
  case forbidden(ResourceKind, name: String, message: String)
  /// The request body passes the API server's limit (`MaxRequestBodyBytes`).
  case requestEntityTooLarge(limit: Int)
  /// etcd refused to store the object: it passes etcd's `--max-request-bytes`. The API server passes the
  /// error on as an internal error without a reason.
  case requestTooLargeForStorage

  /// The `metav1.StatusReason`, as kubectl shows it in `Error from server (Reason)`.
  public var reason: String {
    switch self {
    case .notFound: "NotFound"
    case .alreadyExists, .projectAlreadyExists: "AlreadyExists"
    case .invalid: "Invalid"
    case .invalidSelector, .badRequest: "BadRequest"
    case .denied(_, let reason, _): reason
    case .requestEntityTooLarge: "RequestEntityTooLarge"
    case .forbidden: "Forbidden"
    case .requestTooLargeForStorage: ""
    }
  }

  /// How kubectl introduces the error: `Error from server (NotFound)`, or without a reason `Error from server`.
  public var serverPrefix: String { reason.isEmpty ? "Error from server" : "Error from server (\(reason))" }

  /// The status message.
  public var description: String {
    switch self {
    case .notFound(let kind, let name): "\(kind.qualifiedPlural) \"\(name)\" not found"
    case .alreadyExists(let kind, let name): "\(kind.qualifiedPlural) \"\(name)\" already exists"
    case .projectAlreadyExists(let name): "project.project.openshift.io \"\(name)\" already exists"
    case .invalid(let kind, let name, let causes):
      "\(kind.rawValue) \"\(name)\" is invalid: " + (causes.count == 1 ? causes[0] : "[" + causes.joined(separator: ", ") + "]")
    case .invalidSelector(let text): "unable to parse requirement: invalid label selector \"\(text)\""
    case .badRequest(let message): message
    case .denied(let webhook, _, let message): "admission webhook \"\(webhook)\" denied the request: \(message)"
    case .requestEntityTooLarge(let limit): "Request entity too large: limit is \(limit)"
    case .forbidden(let kind, let name, let message): "\(kind.qualifiedPlural) \"\(name)\" is forbidden: \(message)"
    case .requestTooLargeForStorage: "etcdserver: request is too large"
    }
  }
}
