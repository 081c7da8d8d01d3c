output "map_roles" {
  description = "The rendered mapRoles value, exactly as written to the ConfigMap."
  value       = local.rendered.mapRoles
}

output "map_users" {
  description = "The rendered mapUsers value, exactly as written to the ConfigMap (\"[]\" and a newline when there are no users)."
  value       = local.rendered.mapUsers
}

output "map_accounts" {
  description = "The rendered mapAccounts value. Written to the ConfigMap only when map_accounts is not empty."
  value       = local.rendered.mapAccounts
}

output "config_map_data" {
  description = "The data keys this module writes (or would write, with manage = \"none\"): mapRoles, mapUsers, and mapAccounts when there are accounts."
  value       = local.config_map_data
}

output "warnings" {
  description = "rolemap's lint warnings about the mapping, one string each: severity[rule]: input: message (fix: ...). Empty when there is nothing to say. Errors fail the plan instead."
  value       = local.warnings
}
