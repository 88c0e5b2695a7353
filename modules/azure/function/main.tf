# A neutral function on Azure: a Linux function app on the Flex Consumption
# plan (FC1), with its own storage account, plan and user-assigned identity.
#
# Why Flex Consumption for every function (see providers/azure/doc.go):
#   - it is the only serverless plan with virtual network integration, which a
#     function needs to reach a private database;
#   - it scales to zero and bills per execution like Lambda and Cloud Run
#     functions, while Elastic Premium bills an always-ready instance;
#   - it runs python 3.11/3.12, node 20/22 and custom handlers (go);
#   - it has no timeout ceiling below the blueprint's one hour.
# Linux Consumption (Y1) has none of the networking and is being retired.
#
# Triggers are declared in the function's code (function_app.py decorators,
# the node programming model, or function.json): Azure has no resource that
# binds a queue to a function. This module grants the app's identity exactly
# what each trigger needs and publishes the connection as app settings the
# code's binding refers to (connection = "SERVICEBUS_<QUEUE>",
# queueName = "%SERVICEBUS_<QUEUE>_QUEUE%"). A timer trigger's schedule is
# published the same way (schedule = "%TIMER_SCHEDULE_<KEY>%"), in UTC: the
# Functions host on Flex Consumption does not honour WEBSITE_TIME_ZONE.

data "azurerm_client_config" "current" {}

locals {
  suffix = substr(sha1("${data.azurerm_client_config.current.subscription_id}/${var.resource_group_name}/${var.name}"), 0, 8)
  # <app>.azurewebsites.net is global. Keeping the name within 32 characters
  # also keeps the Functions host id (its first 32 characters) unique.
  # Imported apps keep their own names (app_name, storage_account_name,
  # service_plan_name).
  app_name = var.app_name != null ? var.app_name : "${trim(substr(var.name, 0, 23), "-")}-${local.suffix}"
  # Storage account names are global too: 3-24 lower-case letters and digits.
  storage_name = var.storage_account_name != null ? var.storage_account_name : "st${substr(replace(var.name, "-", ""), 0, 14)}${local.suffix}"
  plan_name    = var.service_plan_name != null ? var.service_plan_name : "asp-${var.name}"

  timeout = format("%02d:%02d:%02d", floor(var.timeout_seconds / 3600), floor(var.timeout_seconds % 3600 / 60), var.timeout_seconds % 60)

  # One identity-based Service Bus connection per triggering queue.
  connections = { for k, q in var.queue_triggers : k => "SERVICEBUS_${upper(replace(k, "-", "_"))}" }
  trigger_settings = merge([for k, q in var.queue_triggers : {
    "${local.connections[k]}__fullyQualifiedNamespace" = q.namespace_host
    "${local.connections[k]}__credential"              = "managedidentity"
    "${local.connections[k]}__clientId"                = azurerm_user_assigned_identity.this.client_id
    "${local.connections[k]}_QUEUE"                    = q.queue_name
  }]...)
  schedule_settings = { for k, s in var.schedule_triggers : "TIMER_SCHEDULE_${upper(replace(k, "-", "_"))}" => s }

  # host.json settings can be set as AzureFunctionsJobHost__<path> app settings.
  host_settings = merge(
    {
      "AzureFunctionsJobHost__functionTimeout" = local.timeout
      # Azure SDKs in the code pick the app's identity from this variable.
      "AZURE_CLIENT_ID" = azurerm_user_assigned_identity.this.client_id
    },
    var.batch_size == null ? {} : { "AzureFunctionsJobHost__extensions__serviceBus__maxMessageBatchSize" = tostring(var.batch_size) },
  )

  # The blueprint's environment comes first, so a name skyform needs cannot
  # be overridden by accident (the lowering also refuses such names).
  app_settings = merge(var.app_settings, local.trigger_settings, local.schedule_settings, local.host_settings)
}

resource "azurerm_storage_account" "this" {
  name                     = local.storage_name
  resource_group_name      = var.resource_group_name
  location                 = var.location
  account_tier             = "Standard"
  account_replication_type = var.storage_replication
  min_tls_version          = "TLS1_2"

  https_traffic_only_enabled      = true
  allow_nested_items_to_be_public = false
  # The Functions host reaches its storage with the account key:
  # azurerm_function_app_flex_consumption writes an AzureWebJobsStorage
  # connection string whatever storage_authentication_type says, and with a
  # managed identity that string has no key and the host cannot start
  # (hashicorp/terraform-provider-azurerm#29693). The key stays in state, in
  # the app settings and in Azure; it is never written to a file.
  shared_access_key_enabled = true

  tags = var.labels
}

# Flex Consumption runs the package from this container.
resource "azurerm_storage_container" "package" {
  name                  = "app-package"
  storage_account_id    = azurerm_storage_account.this.id
  container_access_type = "private"
}

# Flex Consumption allows one app per plan.
resource "azurerm_service_plan" "this" {
  name                = local.plan_name
  resource_group_name = var.resource_group_name
  location            = var.location
  os_type             = "Linux"
  sku_name            = "FC1"
  tags                = var.labels
}

# A user-assigned identity exists before the app, so its role assignments are
# in place when the app starts listening to its queues.
resource "azurerm_user_assigned_identity" "this" {
  name                = "id-${var.name}"
  resource_group_name = var.resource_group_name
  location            = var.location
  tags                = var.labels
}

# Least privilege: receive (and complete, abandon, dead-letter) on the one
# queue of each trigger, nothing else in its namespace.
resource "azurerm_role_assignment" "queue" {
  for_each = var.queue_triggers

  scope                = each.value.queue_id
  role_definition_name = "Azure Service Bus Data Receiver"
  principal_id         = azurerm_user_assigned_identity.this.principal_id
  principal_type       = "ServicePrincipal"
}

# Read access to the secrets of the databases whose password the function's
# environment refers to (each vault holds one server's password only).
resource "azurerm_key_vault_access_policy" "secret" {
  for_each = var.key_vault_ids

  key_vault_id       = each.value
  tenant_id          = data.azurerm_client_config.current.tenant_id
  object_id          = azurerm_user_assigned_identity.this.principal_id
  secret_permissions = ["Get"]
}

# zip_deploy_file only redeploys when its path changes, and the package path
# stays the same when the code changes; replacing the app when the package's
# hash changes is what makes a code change reach Azure.
resource "terraform_data" "package" {
  input = var.package_sha256
}

resource "azurerm_function_app_flex_consumption" "this" {
  name                = local.app_name
  resource_group_name = var.resource_group_name
  location            = var.location
  service_plan_id     = azurerm_service_plan.this.id

  runtime_name           = var.runtime_name
  runtime_version        = var.runtime_version
  instance_memory_in_mb  = var.instance_memory_mb
  maximum_instance_count = var.maximum_instance_count

  storage_container_type      = "blobContainer"
  storage_container_endpoint  = "${azurerm_storage_account.this.primary_blob_endpoint}${azurerm_storage_container.package.name}"
  storage_authentication_type = "StorageAccountConnectionString"
  storage_access_key          = azurerm_storage_account.this.primary_access_key

  # The provider publishes zip_deploy_file through the SCM site with the
  # app's publishing credentials, so basic publishing auth stays enabled.
  zip_deploy_file                                = "${path.root}/${var.package_path}"
  webdeploy_publish_basic_authentication_enabled = true

  # Reaching a private database: outbound traffic to private addresses goes
  # through the integration subnet, and names resolve in the VNet's private
  # DNS zones.
  virtual_network_subnet_id = var.subnet_id

  https_only   = true
  app_settings = local.app_settings
  tags         = var.labels

  identity {
    type         = "UserAssigned"
    identity_ids = [azurerm_user_assigned_identity.this.id]
  }

  site_config {}

  lifecycle {
    replace_triggered_by = [terraform_data.package]
  }

  depends_on = [azurerm_role_assignment.queue, azurerm_key_vault_access_policy.secret]
}
