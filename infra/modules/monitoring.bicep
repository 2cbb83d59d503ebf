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

// The Functions host records every HTTP invocation in AppRequests with its full URL, query string
// included (`search=` terms, for one). The app never sees those records (its own spans drop the
// query: shared/telemetry/url-scrubbing.ts), so the workspace strips the query at ingestion: a
// workspace transformation (a DCR of kind WorkspaceTransforms) on the AppRequests table.
resource workspaceTransforms 'Microsoft.Insights/dataCollectionRules@2022-06-01' = {
  name: 'dcr-${workspaceName}-transforms'
  location: location
  tags: tags
  kind: 'WorkspaceTransforms'
  properties: {
    destinations: {
      logAnalytics: [
        {
          workspaceResourceId: workspace.id
          name: 'workspace'
        }
      ]
    }
    dataFlows: [
      {
        streams: [
          'Microsoft-Table-AppRequests'
        ]
        destinations: [
          'workspace'
        ]
        transformKql: 'source | extend Url = tostring(split(Url, "?")[0])'
      }
    ]
  }
}

// The workspace names its transformation DCR; that takes a second deployment of the workspace,
// because the DCR needs the workspace's id first.
module workspaceTransformLink 'workspace-transform-link.bicep' = {
  name: 'workspace-transform-link'
  params: {
    workspaceName: workspace.name
    location: location
    tags: tags
    retentionInDays: retentionInDays
    dataCollectionRuleId: workspaceTransforms.id
  }
}

output appInsightsName string = appInsights.name
output appInsightsId string = appInsights.id
output connectionString string = appInsights.properties.ConnectionString
output workspaceId string = workspace.id
