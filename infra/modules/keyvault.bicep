// The vault of this app's secrets: the token-encryption key (TOKEN_KEY_SECRET_NAME, created by
// the postprovision hook and rotated by adding versions — never by Bicep, which would rotate it on
// every deployment) and the Entra app's client secret (a Key Vault reference in app settings).
// RBAC only (no access policies); soft delete and purge protection keep old key versions
// recoverable: a purged key version makes every token sealed under it unreadable.

param name string
param location string
param tags object
param microsoftClientSecretName string
@secure()
param microsoftClientSecret string
@description('Log Analytics workspace receiving the audit log (every secret read and write, and who did it).')
param workspaceId string
@allowed(['Enabled', 'Disabled'])
@description('Disabled: reachable only through the private endpoint (main.bicep privateNetworking).')
param publicNetworkAccess string = 'Enabled'

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: publicNetworkAccess
    networkAcls: { defaultAction: publicNetworkAccess == 'Enabled' ? 'Allow' : 'Deny', bypass: 'AzureServices' }
  }
}

resource audit 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'audit-to-log-analytics'
  scope: vault
  properties: {
    workspaceId: workspaceId
    logs: [{ category: 'AuditEvent', enabled: true }]
  }
}

resource clientSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: microsoftClientSecretName
  properties: {
    value: microsoftClientSecret
    contentType: 'Entra application client secret (MICROSOFT_CLIENT_SECRET)'
  }
}

output name string = vault.name
output microsoftClientSecretName string = clientSecret.name
output id string = vault.id
// Ends with '/': https://<name>.vault.azure.net/
output uri string = vault.properties.vaultUri
