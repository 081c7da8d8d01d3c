# ---------------------------------------------------------------------------------------------------------------------
# THE MAPPING
# The original eks-k8s-role-mapping inputs, same names and types, plus map_accounts and windows_worker_iam_role_arns.
# Terraform checks only what it can check cheaply (an ARN is an ARN, an account is 12 digits); rolemap checks the
# rest on every plan (partitions, role vs user, paths, duplicates ignoring case, labels, ...) and fails the plan with
# a message that names the input and the fix.
# ---------------------------------------------------------------------------------------------------------------------

variable "eks_worker_iam_role_arns" {
  description = "IAM role ARNs of the EC2 Linux worker nodes (managed and self-managed node groups, Karpenter). Each is written, in the order given, with username system:node:{{EC2PrivateDNSName}} and the groups system:bootstrappers and system:nodes, so nodes can join the cluster."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.eks_worker_iam_role_arns : startswith(arn, "arn:")])
    error_message = "Every item of eks_worker_iam_role_arns must be an IAM role ARN (arn:aws:iam::111122223333:role/NAME), not a role name."
  }
}

variable "eks_worker_iam_role_arn" {
  description = "The older single-role form of eks_worker_iam_role_arns, kept so old module calls still work. Written first, before the list. \"\" means none. Do not repeat the same role in both: rolemap reports the duplicate."
  type        = string
  default     = ""
  nullable    = false

  validation {
    condition     = var.eks_worker_iam_role_arn == "" || startswith(var.eks_worker_iam_role_arn, "arn:")
    error_message = "eks_worker_iam_role_arn must be \"\" or an IAM role ARN (arn:aws:iam::111122223333:role/NAME), not a role name."
  }
}

variable "windows_worker_iam_role_arns" {
  description = "IAM role ARNs of EC2 Windows worker nodes. Written after the Linux node roles, like them plus the group eks:kube-proxy-windows, which Windows nodes need for kube-proxy."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.windows_worker_iam_role_arns : startswith(arn, "arn:")])
    error_message = "Every item of windows_worker_iam_role_arns must be an IAM role ARN (arn:aws:iam::111122223333:role/NAME), not a role name."
  }
}

variable "eks_fargate_profile_executor_iam_role_arns" {
  description = "Pod execution role ARNs of the cluster's Fargate profiles. Each is written with username system:node:{{SessionName}} and the groups system:bootstrappers, system:nodes and system:node-proxier. Without them, applying this module removes the entries EKS added for Fargate and Fargate pods stop starting."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.eks_fargate_profile_executor_iam_role_arns : startswith(arn, "arn:")])
    error_message = "Every item of eks_fargate_profile_executor_iam_role_arns must be an IAM role ARN (arn:aws:iam::111122223333:role/NAME), not a role name."
  }
}

variable "iam_role_to_rbac_group_mappings" {
  description = "IAM role ARN => the Kubernetes RBAC groups it joins, e.g. { \"arn:aws:iam::111122223333:role/ops\" = [\"system:masters\"] }. Written after the node and Fargate roles, sorted by ARN, username = the role's name. A role path is removed from the ARN (with a warning), because EKS compares callers' path-less ARNs and an entry with a path never matches."
  type        = map(list(string))
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for arn, groups in var.iam_role_to_rbac_group_mappings : startswith(arn, "arn:")])
    error_message = "Every key of iam_role_to_rbac_group_mappings must be an IAM role ARN (arn:aws:iam::111122223333:role/NAME), not a role name."
  }

  validation {
    condition     = alltrue(flatten([for arn, groups in var.iam_role_to_rbac_group_mappings : [for group in groups : group != ""]]))
    error_message = "iam_role_to_rbac_group_mappings has an empty group name; remove it."
  }
}

variable "iam_user_to_rbac_group_mappings" {
  description = "IAM user ARN => the Kubernetes RBAC groups it joins, e.g. { \"arn:aws:iam::111122223333:user/alice\" = [\"dev\"] }. Written to mapUsers sorted by ARN, username = the user's name. User paths are kept: EKS matches user ARNs with their path."
  type        = map(list(string))
  default     = {}
  nullable    = false

  validation {
    condition     = alltrue([for arn, groups in var.iam_user_to_rbac_group_mappings : startswith(arn, "arn:")])
    error_message = "Every key of iam_user_to_rbac_group_mappings must be an IAM user ARN (arn:aws:iam::111122223333:user/NAME), not a user name."
  }

  validation {
    condition     = alltrue(flatten([for arn, groups in var.iam_user_to_rbac_group_mappings : [for group in groups : group != ""]]))
    error_message = "iam_user_to_rbac_group_mappings has an empty group name; remove it."
  }
}

variable "map_accounts" {
  description = "AWS account IDs for mapAccounts: every IAM principal of these accounts authenticates, as its own ARN, with no groups. Broad (rolemap warns); the original module had no such input. The mapAccounts key is written only when this list is not empty, so existing ConfigMaps see no new key."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for account in var.map_accounts : can(regex("^[0-9]{12}$", account))])
    error_message = "Every item of map_accounts must be a 12-digit AWS account ID, as a string (\"111122223333\")."
  }
}

variable "config_map_labels" {
  description = "Labels of the aws-auth ConfigMap. rolemap checks them against Kubernetes' label syntax. With manage = \"data\" they are applied by a separate kubernetes_labels resource."
  type        = map(string)
  default     = {}
  nullable    = false
}

# ---------------------------------------------------------------------------------------------------------------------
# HOW IT IS RENDERED AND WRITTEN
# ---------------------------------------------------------------------------------------------------------------------

variable "style" {
  description = "How mapRoles, mapUsers and mapAccounts are laid out. \"plain\": rolearn, username, groups, quoted only where YAML could misread a value (what kubectl and eksctl show). \"terraform\": Terraform's yamlencode byte for byte (keys sorted, every string quoted), what the original module and terraform-aws-eks wrote; use it when migrating so the plan shows no diff."
  type        = string
  default     = "plain"
  nullable    = false

  validation {
    condition     = contains(["plain", "terraform"], var.style)
    error_message = "style must be \"plain\" or \"terraform\"."
  }
}

variable "manage" {
  description = "What this module owns. \"configmap\": the whole ConfigMap (kubernetes_config_map_v1), created by Terraform; fails if it already exists (import it, see the README). \"data\": only the data keys of an existing ConfigMap (kubernetes_config_map_v1_data, server-side apply), for clusters where EKS already created aws-auth. \"none\": write nothing, only validate and render (outputs), e.g. to apply with rolemap or another tool."
  type        = string
  default     = "configmap"
  nullable    = false

  validation {
    condition     = contains(["configmap", "data", "none"], var.manage)
    error_message = "manage must be \"configmap\", \"data\" or \"none\"."
  }
}

variable "force" {
  description = "manage = \"data\" only: take over data keys that another field manager owns (server-side apply force). EKS owns mapRoles in the aws-auth it creates and takes it back whenever it adds a node group, so without force the apply stops with a field manager conflict instead of removing entries EKS added. Set it to true once every node and Fargate role is in this module's inputs."
  type        = bool
  default     = false
  nullable    = false
}

variable "field_manager" {
  description = "manage = \"data\" only: the server-side apply field manager that owns mapRoles, mapUsers and mapAccounts. Keep \"Terraform\" when taking over from a kubernetes_config_map_v1_data that used the default (terraform-aws-eks did). No other resource may apply to this ConfigMap with the same manager: an apply from one manager removes the fields it owned and did not send. Labels use \"<field_manager>-labels\" for that reason."
  type        = string
  default     = "Terraform"
  nullable    = false

  validation {
    condition     = length(var.field_manager) > 0 && length(var.field_manager) <= 120
    error_message = "field_manager must be 1 to 120 characters (120 leaves room for the \"-labels\" suffix within Kubernetes' 128)."
  }
}

variable "name" {
  description = "Name of the ConfigMap. EKS reads only aws-auth; another name is for tools that merge several ConfigMaps (such as an aws-auth merger)."
  type        = string
  default     = "aws-auth"
  nullable    = false

  validation {
    condition     = length(var.name) <= 253 && can(regex("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", var.name))
    error_message = "name must be a Kubernetes object name: lower case letters, digits, '-' and '.', starting and ending with a letter or digit."
  }
}

variable "namespace" {
  description = "Namespace of the ConfigMap. EKS reads only kube-system."
  type        = string
  default     = "kube-system"
  nullable    = false

  validation {
    condition     = length(var.namespace) <= 63 && can(regex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", var.namespace))
    error_message = "namespace must be a Kubernetes namespace name: lower case letters, digits and '-', starting and ending with a letter or digit, at most 63 characters."
  }
}

variable "rolemap_path" {
  description = "The rolemap executable the external data source runs: a name found on PATH, or an absolute path (use abspath(\"...\") for a path relative to your configuration). It must exist wherever Terraform plans and applies, CI included."
  type        = string
  default     = "rolemap"
  nullable    = false

  validation {
    condition     = length(trimspace(var.rolemap_path)) > 0
    error_message = "rolemap_path must name the rolemap executable."
  }
}
