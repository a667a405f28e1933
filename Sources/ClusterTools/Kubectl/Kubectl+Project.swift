import ClusterModel

extension Kubectl {
  /// `oc new-project NAME`: creates the project and switches to it.
  mutating func newProject(_ flags: Flags) throws(KubectlError) -> ToolResult {
    guard let project = flags.positional.first else {
      throw KubectlError("error: must have exactly one argument\nSee '\(name) new-project -h' for help and examples")
    }
    do {
      try cluster.createProject(
        project, displayName: flags.value("display-name") ?? "", description: flags.value("description") ?? "")
    } catch {
      throw KubectlError(server: error)
    }
    if !flags.isSet("skip-config-write") { workstation.currentProject = project }
    return ToolResult(stdout: """
      Now using project "\(project)" on server "\(Cluster.apiServerURL)".

      You can add applications to this project with the 'new-app' command. For example, try:

          oc new-app rails-postgresql-example

      to build a new example application in Ruby. Or use kubectl to deploy a simple Kubernetes application:

          kubectl create deployment hello-node --image=registry.k8s.io/e2e-test-images/agnhost:2.43 -- /agnhost serve-hostname


      """)
  }

  /// `oc project [NAME]`: shows or switches the current project.
  mutating func project(_ flags: Flags) throws(KubectlError) -> ToolResult {
    let server = Cluster.apiServerURL
    guard let project = flags.positional.first else {
      if flags.isSet("short") { return ToolResult(stdout: workstation.currentProject + "\n") }
      return ToolResult(stdout: "Using project \"\(workstation.currentProject)\" on server \"\(server)\".\n")
    }
    guard cluster.store.hasNamespace(project) else {
      let names = cluster.store.list(.namespace).map(\.metadata.name)
      throw KubectlError("error: A project named \"\(project)\" does not exist on \"\(server)\".\nYour projects are:\n" + names.map { "* \($0)" }.joined(separator: "\n"))
    }
    if project == workstation.currentProject {
      return ToolResult(stdout: "Already on project \"\(project)\" on server \"\(server)\".\n")
    }
    workstation.currentProject = project
    return ToolResult(stdout: "Now using project \"\(project)\" on server \"\(server)\".\n")
  }

  /// `oc projects`: lists projects, marking the current one.
  func projects(_ flags: Flags) throws(KubectlError) -> ToolResult {
    let names = cluster.store.list(.namespace).map(\.metadata.name)
    if flags.isSet("short") { return ToolResult(stdout: names.map { $0 + "\n" }.joined()) }
    let current = workstation.currentProject
    let lines = names.map { $0 == current ? "  * \($0)" : "    \($0)" }
    return ToolResult(stdout: """
      You have access to the following projects and can switch between them with '\(name) project <projectname>':

      \(lines.joined(separator: "\n"))

      Using project "\(current)" on server "\(Cluster.apiServerURL)".

      """)
  }

  /// The names `get` takes for OpenShift's projects, a view of the namespaces the user may see.
  static let projectTypes: Set<String> = ["project", "projects", "project.project.openshift.io", "projects.project.openshift.io"]

  /// `oc get projects [NAME…] [-o name|yaml|json]`: the namespaces as OpenShift's project API shows them.
  func getProjects(_ flags: Flags) throws(KubectlError) -> ToolResult {
    let names = Array(flags.positional.dropFirst())
    var projects: [Namespace] = []
    var errors: [String] = []
    let all = cluster.store.list(.namespace).compactMap { object -> Namespace? in
      guard case .namespace(var namespace) = object else { return nil }
      namespace.apiVersion = "project.openshift.io/v1"
      namespace.kind = "Project"
      return namespace
    }
    if names.isEmpty {
      projects = all
    } else {
      for name in names {
        if let project = all.first(where: { $0.metadata.name == name }) {
          projects.append(project)
        } else {
          errors.append("Error from server (NotFound): projects.project.openshift.io \"\(name)\" not found\n")
        }
      }
    }
    var result = ToolResult(stderr: errors.joined(), exitCode: errors.isEmpty ? 0 : 1)
    let objects = projects.map(APIObject.namespace)
    switch flags.value("output") ?? "" {
    case "":
      guard !projects.isEmpty else { break }
      let rows = projects.map { project in
        [project.metadata.name, project.metadata.annotation("openshift.io/display-name") ?? "", project.status?.phase ?? "Active"]
      }
      result.stdout = TabWriter(minWidth: 6, padding: 3).format((["NAME\tDISPLAY NAME\tSTATUS"] + rows.map { $0.joined(separator: "\t") }))
    case "name":
      result.stdout = projects.map { "project.project.openshift.io/\($0.metadata.name)\n" }.joined()
    case "yaml":
      if !objects.isEmpty { result.stdout = ObjectEncoding.yaml(objects, asList: names.isEmpty || objects.count > 1) }
    case "json":
      result.stdout = ObjectEncoding.json(objects, asList: names.isEmpty || objects.count > 1)
    case let output:
      throw KubectlError("error: unable to match a printer suitable for the output format \"\(output)\", allowed formats are: json,name,yaml")
    }
    return result
  }
}
