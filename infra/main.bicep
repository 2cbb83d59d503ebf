// `azd up` entry point: one resource group holding the Function App (Flex Consumption, Node 22)
// with its user-assigned identity, storage, Key Vault, monitoring and least-privilege roles.
// docs/operations.md explains deploying and operating it; test/infra checks what can be checked
// without a Bicep compiler (settings, names, roles, structure).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; names and tags every resource.')
param environmentName string

@minLength(1)
@description('Region; must offer Flex Consumption (`az functionapp list-flexconsumption-locations`).')
@metadata({ azd: { type: 'location' } })
param location string

@description('Object id of whoever runs azd: gets Key Vault Secrets Officer to create and rotate the token key. Empty: nobody.')
param principalId string = ''
@allowed(['User', 'ServicePrincipal', 'Group'])
param principalType string = 'User'

// --- Settings the code reads (shared/config.ts); defaults equal the code's defaults. ---
@description('Entra app registration (client id) used to connect users’ Microsoft accounts.')
param microsoftClientId string
@secure()
@description('Its client secret: stored in Key Vault, referenced from the app settings.')
param microsoftClientSecret string
param microsoftTenantId string = 'common'
param microsoftAuthorityHost string = 'https://login.microsoftonline.com'
param graphBaseUrl string = 'https://graph.microsoft.com'
@description('Comma-separated exact redirect URIs of the SPA; the first is the default.')
param oauthRedirectUris string
@allowed(['jwt', 'easyauth'])
param authMode string = 'jwt'
@description('Exact `iss` of the SPA’s tokens (AUTH_MODE=jwt).')
param authIssuer string = ''
@description('Exact `aud` of the SPA’s tokens (AUTH_MODE=jwt).')
param authAudience string = ''
@description('AUTH_MODE=easyauth: client id of the API’s app registration, App Service Authentication’s Entra provider.')
param authClientId string = ''
@description('Signing keys; empty: from the issuer’s OpenID metadata.')
param authJwksUri string = ''
param authClockSkewSeconds int = 60
@description('Delegated scope every caller token must carry in `scp` (AUTH_MODE=jwt).')
param authRequiredScope string = 'access_as_user'
@description('Comma-separated client ids (`azp`/`appid`) allowed to call (AUTH_MODE=jwt); empty: any client.')
param authAllowedClientIds string = ''
param tokenKeySecretName string = 'token-encryption-key'
param syncSchedule string = '0 */5 * * * *'
param syncIntervalMinutes int = 15
param syncCalendarDaysBack int = 30
param syncCalendarDaysAhead int = 30
param syncMailDays int = 30
param syncMailFolders string = 'inbox'
param graphMaxConcurrencyPerMailbox int = 4
param graphPageSize int = 100
param syncMaxPagesPerStream int = 3000
@description('Real time: Graph change notifications to this Function App (modules/function-app.bicep sets WEBHOOK_BASE_URL from its host name).')
param realtimeEnabled bool = true
@minValue(1)
@maxValue(168)
param syncReconcileHours int = 6
param subscriptionRenewalSchedule string = '0 */15 * * * *'
@allowed(['debug', 'info', 'warn', 'error'])
param logLevel string = 'info'

// --- Platform. ---
@description('Comma-separated browser origins of the SPA (CORS).')
param corsAllowedOrigins string = ''
param maximumInstanceCount int = 100
param instanceMemoryMB int = 2048
@description('Storage and Key Vault reachable only through private endpoints in a new VNet, the app VNet-integrated. Costs and deployment constraints: docs/operations.md.')
param privateNetworking bool = false

var token = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var functionAppName = 'func-${token}'
var deploymentContainerName = 'app-package-${take(token, 10)}'
var microsoftClientSecretName = 'microsoft-client-secret'
var publicNetworkAccess = privateNetworking ? 'Disabled' : 'Enabled'

resource rg 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module appIdentity 'modules/identity.bicep' = {
  scope: rg
  name: 'identity'
  params: { name: 'id-${token}', location: location, tags: tags }
}

module monitoring 'modules/monitoring.bicep' = {
  scope: rg
  name: 'monitoring'
  params: { workspaceName: 'log-${token}', appInsightsName: 'appi-${token}', location: location, tags: tags }
}

module storage 'modules/storage.bicep' = {
  scope: rg
  name: 'storage'
  params: {
    name: 'st${token}'
    location: location
    tags: tags
    deploymentContainerName: deploymentContainerName
    workspaceId: monitoring.outputs.workspaceId
    publicNetworkAccess: publicNetworkAccess
  }
}

module keyVault 'modules/keyvault.bicep' = {
  scope: rg
  name: 'keyvault'
  params: {
    name: 'kv-${token}'
    location: location
    tags: tags
    microsoftClientSecretName: microsoftClientSecretName
    microsoftClientSecret: microsoftClientSecret
    workspaceId: monitoring.outputs.workspaceId
    publicNetworkAccess: publicNetworkAccess
  }
}

module network 'modules/network.bicep' = if (privateNetworking) {
  scope: rg
  name: 'network'
  params: {
    name: 'vnet-${token}'
    location: location
    tags: tags
    storageAccountId: storage.outputs.id
    keyVaultId: keyVault.outputs.id
  }
}

module roles 'modules/roles.bicep' = {
  scope: rg
  name: 'roles'
  params: {
    storageAccountName: storage.outputs.name
    blobContainerNames: storage.outputs.blobContainerNames
    keyVaultName: keyVault.outputs.name
    microsoftClientSecretName: keyVault.outputs.microsoftClientSecretName
    appInsightsName: monitoring.outputs.appInsightsName
    appPrincipalId: appIdentity.outputs.principalId
    deployerPrincipalId: principalId
    deployerPrincipalType: principalType
  }
}

// Every app setting. The keys are checked against shared/config.ts `settingNames` and
// local.settings.json.example by test/infra/settings-consistency.test.ts.
var appSettings = {
  // Host and app storage through the identity (no connection string: shared-key access is off).
  // The host derives the blob/queue/table endpoints from the account name; the app's
  // shared/storage/account.ts does the same with DefaultAzureCredential.
  AzureWebJobsStorage__accountName: storage.outputs.name
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: appIdentity.outputs.clientId
  // DefaultAzureCredential (storage, Key Vault) picks the user-assigned identity by this.
  AZURE_CLIENT_ID: appIdentity.outputs.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  // Local auth is off on Application Insights: the host (and the app's exporter) sign in as the identity.
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${appIdentity.outputs.clientId};Authorization=AAD'
  LOG_LEVEL: logLevel
  AUTH_MODE: authMode
  AUTH_ISSUER: authIssuer
  AUTH_AUDIENCE: authAudience
  AUTH_JWKS_URI: authJwksUri
  AUTH_CLOCK_SKEW_SECONDS: string(authClockSkewSeconds)
  AUTH_REQUIRED_SCOPE: authRequiredScope
  AUTH_ALLOWED_CLIENT_IDS: authAllowedClientIds
  MICROSOFT_CLIENT_ID: microsoftClientId
  // Resolved by the platform with keyVaultReferenceIdentity; without a version: the latest.
  MICROSOFT_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${keyVault.outputs.uri}secrets/${microsoftClientSecretName}/)'
  MICROSOFT_TENANT_ID: microsoftTenantId
  MICROSOFT_AUTHORITY_HOST: microsoftAuthorityHost
  GRAPH_BASE_URL: graphBaseUrl
  OAUTH_REDIRECT_URIS: oauthRedirectUris
  KEY_VAULT_URL: keyVault.outputs.uri
  TOKEN_KEY_SECRET_NAME: tokenKeySecretName
  SYNC_SCHEDULE: syncSchedule
  SYNC_INTERVAL_MINUTES: string(syncIntervalMinutes)
  SYNC_CALENDAR_DAYS_BACK: string(syncCalendarDaysBack)
  SYNC_CALENDAR_DAYS_AHEAD: string(syncCalendarDaysAhead)
  SYNC_MAIL_DAYS: string(syncMailDays)
  SYNC_MAIL_FOLDERS: syncMailFolders
  GRAPH_MAX_CONCURRENCY_PER_MAILBOX: string(graphMaxConcurrencyPerMailbox)
  GRAPH_PAGE_SIZE: string(graphPageSize)
  SYNC_MAX_PAGES_PER_STREAM: string(syncMaxPagesPerStream)
  SYNC_RECONCILE_HOURS: string(syncReconcileHours)
  SUBSCRIPTION_RENEWAL_SCHEDULE: subscriptionRenewalSchedule
  // WEBHOOK_BASE_URL is added by modules/function-app.bicep: only the site knows its host name.
  // The host refuses larger bodies before the worker reads them (Azure's default is 100 MB). The
  // largest body the app takes is a send with 25 MB of attachments in base64: 40 MiB
  // (shared/writes/mail/requests.ts MAX_SEND_BODY_BYTES); every other JSON body stops at 64 KiB
  // (shared/http/input.ts, read chunk by chunk and cut off at the first byte over).
  FUNCTIONS_REQUEST_BODY_SIZE_LIMIT: '41943040'
}

module functionApp 'modules/function-app.bicep' = {
  scope: rg
  name: 'function-app'
  // Roles first: the host reaches storage and Key Vault references resolve on its first start.
  dependsOn: [roles]
  params: {
    name: functionAppName
    planName: 'plan-${token}'
    location: location
    tags: tags
    identityId: appIdentity.outputs.id
    storageBlobEndpoint: storage.outputs.blobEndpoint
    deploymentContainerName: deploymentContainerName
    appSettings: appSettings
    realtimeEnabled: realtimeEnabled
    corsAllowedOrigins: filter(map(split(corsAllowedOrigins, ','), o => trim(o)), o => !empty(o))
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    virtualNetworkSubnetId: privateNetworking ? network!.outputs.appSubnetId : ''
  }
}

// AUTH_MODE=easyauth trusts a header only App Service Authentication can vouch for: it is switched
// on (and required) here exactly when that mode is chosen. Same issuer and audience as jwt mode.
module easyAuth 'modules/easyauth.bicep' = {
  scope: rg
  name: 'easyauth'
  params: {
    enabled: authMode == 'easyauth'
    siteName: functionApp.outputs.name
    clientId: authClientId
    openIdIssuer: authIssuer
    allowedAudiences: filter([authAudience], a => !empty(a))
    allowedClientIds: filter(map(split(authAllowedClientIds, ','), c => trim(c)), c => !empty(c))
  }
}

// azd writes these into the environment (.azure/<env>/.env); the postprovision hook reads them.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = rg.name
output AZURE_FUNCTION_NAME string = functionApp.outputs.name
output API_BASE_URL string = 'https://${functionApp.outputs.defaultHostName}/api'
output KEY_VAULT_NAME string = keyVault.outputs.name
output KEY_VAULT_ID string = keyVault.outputs.id
// The postprovision hook gives this principal Secrets User on the token key's secret.
output APP_PRINCIPAL_ID string = appIdentity.outputs.principalId
output KEY_VAULT_URL string = keyVault.outputs.uri
output TOKEN_KEY_SECRET_NAME string = tokenKeySecretName
output STORAGE_ACCOUNT_NAME string = storage.outputs.name
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.appInsightsName
