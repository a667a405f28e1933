import Foundation

/// One namespace's pods as a cluster's archive keeps them: what the pods of one template share, once, and a
/// row per pod of what is its own.
///
/// A ReplicaSet's pods differ only in their names, UIDs, resource versions, creation times, nodes and
/// statuses, and in the name of the service-account token volume the API server gave each
/// (`kube-api-access-xxxxx`). Written out whole, 100 000 replicas made a snapshot of nearly a gigabyte that
/// took a minute to read. Here each distinct remainder, the pod's shape, is kept once, as is each distinct
/// status. A pod is factored only when its shape and row give it back equal; any other keeps its spec
/// whole in a shape of its own.
struct ArchivedPods: Codable {
  /// What a pod's token volume is called in a shape.
  private static let tokenVolume = "kube-api-access-"
  /// How many shapes of one owner a pod is compared with before it gets a new one.
  private static let candidates = 8

  /// Pods with their own fields cleared and, where factored, no node and the token volume renamed.
  private var shapes: [Pod] = []
  /// The distinct statuses.
  private var statuses: [PodStatus] = []
  /// Each pod's own fields.
  private var rows: [Row] = []

  /// One pod's own fields, with the numbers of its shape and status.
  private struct Row: PackedRecord {
    var name: String
    var shape = 0
    var status: Int?
    var uid: String?
    var resourceVersion: String?
    var creationTimestamp: Timestamp?
    /// The node, when the shape leaves it out.
    var nodeName: String?
    /// The token volume's name, when the shape renames it.
    var token: String?

    /// A row of a pod's own fields, before its shape, status, node and token are known.
    init(name: String, uid: String?, resourceVersion: String?, creationTimestamp: Timestamp?) {
      self.name = name
      self.uid = uid
      self.resourceVersion = resourceVersion
      self.creationTimestamp = creationTimestamp
    }

    /// Writes the fields in their order, each optional one after whether it is there.
    func pack(into writer: inout PackedWriter) {
      writer.write(name)
      writer.write(shape)
      writer.write(status)
      writer.write(uid)
      writer.write(resourceVersion)
      writer.write(creationTimestamp?.time)
      writer.write(nodeName)
      writer.write(token)
    }

    /// Reads the fields `pack(into:)` wrote.
    init(unpacking reader: inout PackedReader) throws(PackedReader.Truncated) {
      name = try reader.read()
      shape = try reader.read()
      status = try reader.read()
      uid = try reader.read()
      resourceVersion = try reader.read()
      creationTimestamp = try reader.read(SimTime?.self).map(Timestamp.init)
      nodeName = try reader.read()
      token = try reader.read()
    }
  }

  private enum CodingKeys: String, CodingKey {
    case shapes, statuses, rows
  }

  /// Decodes the shapes and statuses, and the rows, which are packed (`PackedRecord`): a hundred thousand
  /// pods read in a fraction of the time keyed JSON takes.
  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    shapes = try container.decode([Pod].self, forKey: .shapes)
    statuses = try container.decode([PodStatus].self, forKey: .statuses)
    guard let list = PackedReader.record([Row].self, filling: try container.decode(Data.self, forKey: .rows)) else {
      throw DecodingError.dataCorruptedError(forKey: .rows, in: container, debugDescription: "the rows do not unpack")
    }
    rows = list
  }

  /// Encodes the shapes and statuses, and the rows packed.
  func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(shapes, forKey: .shapes)
    try container.encode(statuses, forKey: .statuses)
    try container.encode(PackedWriter.bytes(of: rows), forKey: .rows)
  }

  /// Factors `pods`, of one namespace, by name.
  init(_ pods: [String: Pod]) {
    var shapesByOwner: [String: [Int]] = [:]
    var statusNumbers: [PodStatus: Int] = [:]
    rows.reserveCapacity(pods.count)
    for pod in pods.values {
      var row = Row(
        name: pod.metadata.name, uid: pod.metadata.uid, resourceVersion: pod.metadata.resourceVersion,
        creationTimestamp: pod.metadata.creationTimestamp)
      if let status = pod.status {
        if let number = statusNumbers[status] {
          row.status = number
        } else {
          statuses.append(status)
          row.status = statuses.count - 1
          statusNumbers[status] = row.status
        }
      }
      var shape = pod
      shape.metadata.name = ""
      shape.metadata.uid = nil
      shape.metadata.resourceVersion = nil
      shape.metadata.creationTimestamp = nil
      shape.status = nil
      var factored = row
      factored.nodeName = pod.spec.nodeName
      factored.token = pod.spec.volumes?.first { $0.name.hasPrefix(Self.tokenVolume) }?.name
      var normalized = shape
      normalized.spec.nodeName = nil
      if let token = factored.token { Self.rename(volume: token, to: Self.tokenVolume, in: &normalized.spec) }
      if Self.pod(from: normalized, factored, status: pod.status) == pod {
        shape = normalized
        row = factored
      }
      let owner = pod.metadata.ownerReferences?.first?.uid ?? pod.metadata.generateName ?? ""
      let known = shapesByOwner[owner, default: []]
      if let match = known.suffix(Self.candidates).last(where: { shapes[$0] == shape }) {
        row.shape = match
      } else {
        shapes.append(shape)
        row.shape = shapes.count - 1
        shapesByOwner[owner, default: []].append(row.shape)
      }
      rows.append(row)
    }
  }

  /// The pods, by name, each as `stored` stores it (a store keeps `APIObject.pod`s): one table is built.
  ///
  /// - Throws: `DecodingError.dataCorrupted` when a row names a shape or status there is not.
  func pods<Stored>(as stored: (Pod) -> Stored) throws -> [String: Stored] {
    var pods: [String: Stored] = [:]
    pods.reserveCapacity(rows.count)
    for row in rows {
      guard shapes.indices.contains(row.shape), row.status.map(statuses.indices.contains) ?? true else {
        throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "pod '\(row.name)' names a shape or status there is not"))
      }
      pods[row.name] = stored(Self.pod(from: shapes[row.shape], row, status: row.status.map { statuses[$0] }))
    }
    return pods
  }

  /// The pod that `shape` and `row` make, with `status`.
  private static func pod(from shape: Pod, _ row: Row, status: PodStatus?) -> Pod {
    var pod = shape
    pod.metadata.name = row.name
    pod.metadata.uid = row.uid
    pod.metadata.resourceVersion = row.resourceVersion
    pod.metadata.creationTimestamp = row.creationTimestamp
    pod.status = status
    if row.nodeName != nil || row.token != nil {
      pod.spec.nodeName = row.nodeName
      if let token = row.token { rename(volume: tokenVolume, to: token, in: &pod.spec) }
    }
    return pod
  }

  /// Renames the volume `old`, and every container's mounts of it, to `new`.
  private static func rename(volume old: String, to new: String, in spec: inout PodSpec) {
    for index in spec.volumes?.indices ?? 0..<0 where spec.volumes?[index].name == old {
      spec.volumes?[index].name = new
    }
    func renameMounts(_ containers: inout [Container]) {
      for container in containers.indices {
        for mount in containers[container].volumeMounts?.indices ?? 0..<0
        where containers[container].volumeMounts?[mount].name == old {
          containers[container].volumeMounts?[mount].name = new
        }
      }
    }
    renameMounts(&spec.containers)
    if var initContainers = spec.initContainers {
      renameMounts(&initContainers)
      spec.initContainers = initContainers
    }
  }
}
