terraform {
  # 1.5 for the check block that surfaces rolemap's lint warnings in every plan.
  required_version = ">= 1.5.0"

  required_providers {
    external = {
      source  = "hashicorp/external"
      version = ">= 2.2.0"
    }
    # 2.10 added kubernetes_config_map_v1_data and kubernetes_labels.
    kubernetes = {
      source  = "hashicorp/kubernetes"
      version = ">= 2.10.0"
    }
  }
}
