# A user ARN where role ARNs belong: it could never match in mapRoles.
iam_role_to_rbac_group_mappings = {
  "arn:aws:iam::111122223333:user/alice" = ["dev"]
}
