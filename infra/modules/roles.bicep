// Least-privilege data-plane roles, each on the narrowest scope the app uses; no management
// roles (Owner, Contributor) and no keys. Built-in role ids are the same in every tenant.
//
// The app's identity:
// - Storage Blob Data Owner on three containers only, not the account: the Flex Consumption
//   deployment container (the platform reads the package with this identity) and the Functions
//   host's own azure-webjobs-hosts (locks, timer schedules) and azure-webjobs-secrets (function
//   keys), which storage.bicep creates so that the host never has to. Microsoft documents Blob
//   Data Owner as the host's role for identity-based AzureWebJobsStorage ("Connecting to host
//   storage with an identity", functions-reference); the app's code uses no blobs at all.
// - Storage Queue Data Contributor on the account: the queue trigger reads and deletes `sync-jobs`
//   messages, the host moves failures to `sync-jobs-poison` (and `-poison-poison`, created on
//   demand), the app enqueues jobs (shared/sync/enqueue.ts).
// - Storage Table Data Contributor on the account: the app's tables (shared/storage/names.ts).
// - Key Vault Secrets User on the one secret Bicep creates (the client secret's Key Vault
//   reference). The token key's secret exists only after the postprovision hook created it, so the
//   hook assigns Secrets User on that secret (infra/hooks/postprovision.*); nothing on the vault.
// - Monitoring Metrics Publisher on Application Insights: Entra-authenticated ingestion
//   (local auth is off in monitoring.bicep).
// The deployer (azd's principal, optional): Key Vault Secrets Officer on the vault, to create and
// rotate the token key (docs/operations.md). It never gets storage data access.

param storageAccountName string
param blobContainerNames array
param keyVaultName string
param microsoftClientSecretName string
param appInsightsName string
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
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb'
}
var accountRoles = [
  roles.storageQueueDataContributor
  roles.storageTableDataContributor
]

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' existing = {
  parent: storage
  name: 'default'
}

resource containers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' existing = [
  for container in blobContainerNames: {
    parent: blobService
    name: container
  }
]

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource clientSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' existing = {
  parent: vault
  name: microsoftClientSecretName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

resource appBlobs 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (container, i) in blobContainerNames: {
    name: guid(containers[i].id, appPrincipalId, roles.storageBlobDataOwner)
    scope: containers[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.storageBlobDataOwner)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource appStorage 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for role in accountRoles: {
    name: guid(storage.id, appPrincipalId, role)
    scope: storage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', role)
      principalId: appPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource appClientSecret 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(clientSecret.id, appPrincipalId, roles.keyVaultSecretsUser)
  scope: clientSecret
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.keyVaultSecretsUser)
    principalId: appPrincipalId
    principalType: 'ServicePrincipal'
  }
}

resource appTelemetry 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, appPrincipalId, roles.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.monitoringMetricsPublisher)
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
