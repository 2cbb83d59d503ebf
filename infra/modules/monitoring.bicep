// Application Insights on a Log Analytics workspace: the Functions host's requests, traces and
// exceptions, and the app's OpenTelemetry spans and metrics (shared/telemetry) land here.

param workspaceName string
param appInsightsName string
param location string
param tags object
param retentionInDays int = 30

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: workspace.id
    // Entra-only ingestion: the connection string alone cannot write telemetry. The host and the
    // app's exporter sign in as the app's identity (APPLICATIONINSIGHTS_AUTHENTICATION_STRING,
    // Monitoring Metrics Publisher in roles.bicep).
    DisableLocalAuth: true
  }
}

output appInsightsName string = appInsights.name
output appInsightsId string = appInsights.id
output connectionString string = appInsights.properties.ConnectionString
output workspaceId string = workspace.id
