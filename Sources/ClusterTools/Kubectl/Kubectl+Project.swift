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
}
