// Least-privilege data-plane roles, each on the one resource it is needed for; no management
// roles (Owner, Contributor) and no keys. Built-in role ids are the same in every tenant.
//
// The app's identity:
// - Storage Blob Data Owner: the Functions host's storage with an identity (leases, timer
//   schedules, its own containers) and the Flex Consumption deployment container. Microsoft's
//   minimum for identity-based AzureWebJobsStorage ("Connecting to host storage with an identity",
//   learn.microsoft.com/azure/azure-functions/functions-reference; the timer trigger's
//   "Connections" section names the same role).
// - Storage Queue Data Contributor: the queue trigger reads and deletes `sync-jobs` messages, the
//   host moves failures to `sync-jobs-poison`, the app enqueues jobs (shared/sync/enqueue.ts).
// - Storage Table Data Contributor: the app's tables (shared/storage/names.ts).
// - Key Vault Secrets User: reads the token key's versions and the client-secret reference.
// The deployer (azd's principal, optional): Key Vault Secrets Officer, to create and rotate the
// token key (infra/hooks/postprovision.*, docs/operations.md). It never gets storage data access.

param storageAccountName string
param keyVaultName string
param appPrincipalId string
param deployerPrincipalId string = ''
@allowed(['User', 'ServicePrincipal', 'Group'])
param deployerPrincipalType string = 'User'

var roles = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b'
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88'
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6'
  keyVaultSecretsOfficer: 'b86a8fe4-44ce-4948-aee5-eccb2c155cd7'
}
var storageRoles = [
  roles.storageBlobDataOwner
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in storageRoles: {
    name: guid(storage.id, appPrincipalId, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource appSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, appPrincipalId, roles.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource deployerSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = if (!empty(deployerPrincipalId)) {
  name: guid(vault.id, deployerPrincipalId, roles.keyVaultSecretsOfficer)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsOfficer)
    principalId: deployerPrincipalId
    principalType: deployerPrincipalType
  }
}
