// The one storage account: the Functions host's own blobs (leases, timer schedules), the
// deployment package container (Flex Consumption), and the app's tables and queues.
// Shared-key access is off: every client (host, app, deployment) signs in with the identity.

param name string
param location string
param tags object
param deploymentContainerName string
@description('Log Analytics workspace receiving the blob, queue and table logs (reads, writes, deletes).')
param workspaceId string
@allowed(['Enabled', 'Disabled'])
@description('Disabled: reachable only through the private endpoints (main.bicep privateNetworking).')
param publicNetworkAccess string = 'Enabled'

// The app's tables and queues, as shared/storage/names.ts names them (TABLES, QUEUES): created
// here so they exist before the first trigger fires. test/infra/storage-names.test.ts keeps the
// two lists equal. `sync-jobs-poison` is where the host moves a job after maxDequeueCount (5).
var tableNames = [
  'Integrations'
  'TokenCaches'
  'OAuthStates'
  'CalendarEvents'
  'EmailMessages'
  'SyncState'
  'Subscriptions'
  'IdempotencyKeys'
]
var queueNames = [
  'sync-jobs'
  'sync-jobs-poison'
  'notifications'
  'notifications-poison'
]
// The Functions host's own containers (host locks, timer schedules; function keys), created here so
// the app's blob role can be scoped to them instead of the account (roles.bicep).
var hostContainerNames = [
  'azure-webjobs-hosts'
  'azure-webjobs-secrets'
]
var logCategories = [
  'StorageRead'
  'StorageWrite'
  'StorageDelete'
]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: { defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny', bypass: 'AzureServices' }
  }
}

resource blobs 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobs
  name: deploymentContainerName
  properties: { publicAccess: 'None' }
}

resource hostContainers 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [
  for container in hostContainerNames: {
    parent: blobs
    name: container
    properties: { publicAccess: 'None' }
  }
]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queues 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [
  for queue in queueNames: {
    parent: queueService
    name: queue
  }
]

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tables 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [
  for table in tableNames: {
    parent: tableService
    name: table
  }
]

resource blobLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-log-analytics'
  scope: blobs
  properties: {
    workspaceId: workspaceId
    logs: [for category in logCategories: { category: category, enabled: true }]
  }
}

resource queueLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-log-analytics'
  scope: queueService
  properties: {
    workspaceId: workspaceId
    logs: [for category in logCategories: { category: category, enabled: true }]
  }
}

resource tableLogs 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'logs-to-log-analytics'
  scope: tableService
  properties: {
    workspaceId: workspaceId
    logs: [for category in logCategories: { category: category, enabled: true }]
  }
}

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
// Every blob container the app's identity needs (the deployment package and the host's own).
output blobContainerNames array = [deploymentContainer.name, hostContainers[0].name, hostContainers[1].name]
