# The api-backend scenario (spec.yaml) as a Terraform module call: worker nodes join through their node role, and
# two developer roles are each confined to their team's namespace by the RoleBindings in rbac/ (groups apiteam and
# backendteam).
#
#   terraform init && terraform plan                   # renders and validates the mapping; writes nothing
#   terraform apply -var kubeconfig=~/.kube/config -var manage=data -var force=true
#
# force = true lets the module take mapRoles over from EKS, which created aws-auth with the node group; the node role
# is listed below, so the node entry EKS wrote is kept.

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

variable "force" {
  description = "With manage = \"data\": take mapRoles and mapUsers over from the field manager that owns them (EKS)."
  type        = bool
  default     = false
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

  eks_worker_iam_role_arns = ["arn:aws:iam::111122223333:role/eks-worker-nodes"]

  iam_role_to_rbac_group_mappings = {
    "arn:aws:iam::111122223333:role/ApiDeveloper"     = ["apiteam"]
    "arn:aws:iam::111122223333:role/BackendDeveloper" = ["backendteam"]
  }

  manage       = var.manage
  force        = var.force
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
