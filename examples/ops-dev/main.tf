# The ops-dev scenario (spec.yaml) as a Terraform module call: the ops role gets full admin rights (system:masters),
# the dev role joins the dev group, which rbac/ binds to its permissions.
#
#   terraform init && terraform plan                   # renders and validates the mapping; writes nothing
#   terraform apply -var kubeconfig=~/.kube/config -var manage=data
#
# Before writing to a real cluster, list its node roles in eks_worker_iam_role_arns (this scenario has none, and
# rolemap warns about it): the module replaces the whole mapRoles key, and nodes without an entry cannot join.

terraform {
  required_version = ">= 1.5.0"

  required_providers {
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.10.0"
    }
  }
}

variable "manage" {
  description = "What the module writes: \"none\" (render and validate only), \"data\" (the data keys of the aws-auth EKS created) or \"configmap\" (the whole ConfigMap)."
  type        = string
  default     = "none"
}

variable "kubeconfig" {
  description = "Path of the kubeconfig for the cluster; null uses the provider's defaults (KUBE_CONFIG_PATH and friends)."
  type        = string
  default     = null
}

variable "rolemap_path" {
  description = "The rolemap executable: a name on PATH or an absolute path."
  type        = string
  default     = "rolemap"
}

provider "kubernetes" {
  config_path = var.kubeconfig
}

module "eks_k8s_role_mapping" {
  source = "../../terraform/modules/eks-k8s-role-mapping"

  iam_role_to_rbac_group_mappings = {
    "arn:aws:iam::111122223333:role/ops" = ["system:masters"]
    "arn:aws:iam::111122223333:role/dev" = ["dev"]
  }

  manage       = var.manage
  rolemap_path = var.rolemap_path
}

output "map_roles" {
  description = "mapRoles as the module writes it."
  value       = module.eks_k8s_role_mapping.map_roles
}

output "warnings" {
  description = "rolemap's lint warnings about the mapping."
  value       = module.eks_k8s_role_mapping.warnings
}
