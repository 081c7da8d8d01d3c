# What the external data source runs and sends. Terraform's external provider passes `query` to the program on
# stdin as one JSON object of strings, so lists and maps are jsonencode()d here and decoded by rolemap.
#
# This file depends on nothing but variables.tf: the tests evaluate these locals with `terraform console`
# (offline, no providers needed) and feed rolemap exactly the bytes Terraform would send.
locals {
  rolemap_program = [var.rolemap_path, "terraform-external"]

  rolemap_query = {
    eks_worker_iam_role_arns                   = jsonencode(var.eks_worker_iam_role_arns)
    eks_worker_iam_role_arn                    = var.eks_worker_iam_role_arn
    windows_worker_iam_role_arns               = jsonencode(var.windows_worker_iam_role_arns)
    eks_fargate_profile_executor_iam_role_arns = jsonencode(var.eks_fargate_profile_executor_iam_role_arns)
    iam_role_to_rbac_group_mappings            = jsonencode(var.iam_role_to_rbac_group_mappings)
    iam_user_to_rbac_group_mappings            = jsonencode(var.iam_user_to_rbac_group_mappings)
    map_accounts                               = jsonencode(var.map_accounts)
    config_map_labels                          = jsonencode(var.config_map_labels)
    style                                      = var.style
  }
}
