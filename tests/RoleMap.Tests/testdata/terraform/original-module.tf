# The original eks-k8s-role-mapping module's rendering (its pure-HCL era, May 2020 on), restated from its documented
# behaviour for the tests: mapRoles = yamlencode of the worker entries in input order, then the Fargate entries, then
# one entry per mapped role in map order (sorted by ARN), username = the text after the last "/"; mapUsers likewise.
# No validation, no path stripping, no mapAccounts.
#
# The tests copy this file next to the module's variables.tf, evaluate it with `terraform console` and require
# rolemap's style = "terraform" output to be byte for byte the same: the migration shows no diff.
locals {
  original_map_roles = yamlencode(concat(
    [
      for arn in var.eks_worker_iam_role_arns : {
        rolearn  = arn
        username = "system:node:{{EC2PrivateDNSName}}"
        groups   = ["system:bootstrappers", "system:nodes"]
      }
    ],
    [
      for arn in var.eks_fargate_profile_executor_iam_role_arns : {
        rolearn  = arn
        username = "system:node:{{SessionName}}"
        groups   = ["system:bootstrappers", "system:nodes", "system:node-proxier"]
      }
    ],
    [
      for arn, groups in var.iam_role_to_rbac_group_mappings : {
        rolearn  = arn
        username = element(reverse(split("/", arn)), 0)
        groups   = groups
      }
    ],
  ))

  original_map_users = yamlencode([
    for arn, groups in var.iam_user_to_rbac_group_mappings : {
      userarn  = arn
      username = element(reverse(split("/", arn)), 0)
      groups   = groups
    }
  ])
}
