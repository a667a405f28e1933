import Foundation

/// A Namespace (`v1`); on OpenShift, each Project is one.
public struct Namespace: Codable, Equatable, Sendable {
  public var apiVersion: String = "v1"
  public var kind: String = "Namespace"
  public var metadata: ObjectMeta
  public var spec: Spec?
  public var status: Status?

  public init(metadata: ObjectMeta) {
    self.metadata = metadata
  }

  public struct Spec: Codable, Equatable, Sendable {
    public var finalizers: [String]?
  }

  public struct Status: Codable, Equatable, Sendable {
    public var phase: String?
  }
}

/// A ConfigMap (`v1`): configuration data as key–value pairs.
public struct ConfigMap: Codable, Equatable, Sendable {
  public var apiVersion: String = "v1"
  public var kind: String = "ConfigMap"
  public var metadata: ObjectMeta
  public var data: [String: String]?

  public init(metadata: ObjectMeta, data: [String: String]?) {
    self.metadata = metadata
    self.data = data
  }
}

/// A Secret (`v1`): base64-encoded data; `stringData` is merged in on write.
public struct Secret: Codable, Equatable, Sendable {
  public var apiVersion: String = "v1"
  public var kind: String = "Secret"
  public var metadata: ObjectMeta
  public var type: String?
  public var data: [String: String]?
  public var stringData: [String: String]?

  public init(metadata: ObjectMeta, type: String?, data: [String: String]?) {
    self.metadata = metadata
    self.type = type
    self.data = data
  }

  /// The data as text, as a consumer that mounts or reads the secret sees it.
  public var decodedData: [String: String] {
    (data ?? [:]).compactMapValues { Data(base64Encoded: $0).map { String(decoding: $0, as: UTF8.self) } }
  }
}

/// A ServiceAccount (`v1`): an identity for the pods that name it in `serviceAccountName`.
public struct ServiceAccount: Codable, Equatable, Sendable {
  public var apiVersion: String = "v1"
  public var kind: String = "ServiceAccount"
  public var metadata: ObjectMeta
  /// The Secrets pods running as the account may mount (`Mountable secrets`).
  public var secrets: [ObjectReference]?
  /// The Secrets the kubelet pulls the pods' images with.
  public var imagePullSecrets: [LocalObjectReference]?
  /// Whether pods running as the account mount its token unless they say otherwise.
  public var automountServiceAccountToken: Bool?

  /// An account named by `metadata`, with no secrets.
  public init(metadata: ObjectMeta) {
    self.metadata = metadata
  }

  /// A reference to a Secret of the account's namespace.
  public struct ObjectReference: Codable, Equatable, Sendable {
    /// The Secret's name.
    public var name: String?
  }

  /// The name of an image pull Secret of the account's namespace.
  public struct LocalObjectReference: Codable, Equatable, Sendable {
    /// The Secret's name.
    public var name: String?
  }
}
