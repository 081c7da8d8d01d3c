# ---------------------------------------------------------------------------------------------------------------------
# MAP AWS IAM ROLES AND USERS TO KUBERNETES RBAC GROUPS
# Renders kube-system/aws-auth with rolemap and writes it with the Kubernetes provider. rolemap runs on every plan
# (and on apply when an input is only known then), so a bad mapping fails before anything is written.
# ---------------------------------------------------------------------------------------------------------------------

data "external" "rolemap" {
  program = local.rolemap_program
  query   = local.rolemap_query
}

locals {
  rendered = data.external.rolemap.result
  warnings = jsondecode(local.rendered.warnings)

  # mapRoles and mapUsers always, as the original module wrote them; mapAccounts only when there are accounts, so a
  # ConfigMap that never had the key gets no new one, and in "data" mode the module claims no key it does not need.
  config_map_data = merge(
    {
      mapRoles = local.rendered.mapRoles
      mapUsers = local.rendered.mapUsers
    },
    length(var.map_accounts) > 0 ? { mapAccounts = local.rendered.mapAccounts } : {},
  )
}

# The whole ConfigMap, owned by Terraform: created here, deleted on destroy.
resource "kubernetes_config_map_v1" "aws_auth" {
  count = var.manage == "configmap" ? 1 : 0

  metadata {
    name      = var.name
    namespace = var.namespace
    labels    = var.config_map_labels
  }

  data = local.config_map_data
}

# Only the data keys of a ConfigMap that already exists (EKS creates aws-auth with the first managed node group).
# Server-side apply: the field manager owns mapRoles and mapUsers (and mapAccounts when given) as whole keys, other
# keys are left alone, and destroy removes the keys this manager alone owns.
resource "kubernetes_config_map_v1_data" "aws_auth" {
  count = var.manage == "data" ? 1 : 0

  metadata {
    name      = var.name
    namespace = var.namespace
  }

  data          = local.config_map_data
  force         = var.force
  field_manager = var.field_manager
}

# Labels in "data" mode. A field manager of their own: applying the labels with the data's manager would drop the
# data keys from that manager's set, and the API server would delete them.
resource "kubernetes_labels" "aws_auth" {
  count = var.manage == "data" && length(var.config_map_labels) > 0 ? 1 : 0

  api_version = "v1"
  kind        = "ConfigMap"

  metadata {
    name      = var.name
    namespace = var.namespace
  }

  labels        = var.config_map_labels
  force         = var.force
  field_manager = "${var.field_manager}-labels"
}

# Lint warnings (role paths removed, system:masters on many principals, no node role, ...) in every plan, without
# failing it. Errors never get here: rolemap exits non-zero and the data source fails the plan with its message.
check "rolemap_warnings" {
  assert {
    condition     = length(local.warnings) == 0
    error_message = "rolemap: ${length(local.warnings)} warning(s) about the aws-auth mapping:\n${join("\n", local.warnings)}"
  }
}
