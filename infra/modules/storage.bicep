// The one storage account: the Functions host's own blobs (leases, timer schedules), the
// deployment package container (Flex Consumption), and the app's tables and queues.
// Shared-key access is off: every client (host, app, deployment) signs in with the identity.

param name string
param location string
param tags object
param deploymentContainerName string

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
]
var queueNames = [
  'sync-jobs'
  'sync-jobs-poison'
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
    publicNetworkAccess: 'Enabled'
    networkAcls: { defaultAction: 'Allow', bypass: 'AzureServices' }
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

output name string = account.name
output id string = account.id
output blobEndpoint string = account.properties.primaryEndpoints.blob
