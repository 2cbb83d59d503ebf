// The Function App on the Flex Consumption plan (FC1, Linux), Node 22, running as the
// user-assigned identity. Shape as Microsoft's Flex Consumption samples
// (github.com/Azure-Samples/azure-functions-flex-consumption-samples, IaC/bicep) and
// "Automate resource deployment" (learn.microsoft.com/azure/azure-functions/functions-infrastructure-as-code,
// Flex Consumption pivot): runtime and deployment storage live in `functionAppConfig`, not in app
// settings. FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION, WEBSITE_RUN_FROM_PACKAGE and the
// content-share settings are deprecated on Flex ("Flex Consumption plan deprecations",
// functions-app-settings) and are deliberately absent.

param name string
param planName string
param location string
param tags object
param identityId string
param storageBlobEndpoint string
param deploymentContainerName string
@description('Every app setting (main.bicep builds the list; test/infra checks it against the code).')
param appSettings object
@description('Adds WEBHOOK_BASE_URL (https://<default host name>): Graph change notifications reach the app there.')
param realtimeEnabled bool = true
@description('Browser origins of the SPA allowed to call the API.')
param corsAllowedOrigins array = []
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 100
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048
@description('Integration subnet (network.bicep) when storage and Key Vault are private; empty: none.')
param virtualNetworkSubnetId string = ''

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: name
  location: location
  // azd finds the app to deploy the `api` service (azure.yaml) to by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identityId}': {} }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    virtualNetworkSubnetId: empty(virtualNetworkSubnetId) ? null : virtualNetworkSubnetId
    // Key Vault references (MICROSOFT_CLIENT_SECRET) resolve with this identity, not a system one.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      cors: {
        allowedOrigins: corsAllowedOrigins
        supportCredentials: false
      }
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        maximumInstanceCount: maximumInstanceCount
        instanceMemoryMB: instanceMemoryMB
      }
      runtime: {
        name: 'node'
        version: '22'
      }
    }
  }
}

// The whole set of app settings in one resource: a setting removed here is removed from the app.
resource settings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'appsettings'
  // The webhook base is the site's own https host name (a Flex app's default host name may carry a
  // unique suffix, so it is read from the site, not built from its name).
  properties: union(appSettings, realtimeEnabled ? { WEBHOOK_BASE_URL: 'https://${site.properties.defaultHostName}' } : {})
}

// No FTP and no basic-auth (publishing profile) deployments: azd deploys with an Entra token.
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'ftp'
  properties: { allow: false }
}

resource scmCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: site
  name: 'scm'
  properties: { allow: false }
}

output name string = site.name
output defaultHostName string = site.properties.defaultHostName
