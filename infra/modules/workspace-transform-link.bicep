// Points the Log Analytics workspace at its transformation DCR (monitoring.bicep): the same
// workspace, deployed again with defaultDataCollectionRuleResourceId (ARM updates it in place).

param workspaceName string
param location string
param tags object
param retentionInDays int
param dataCollectionRuleId string

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: workspaceName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    defaultDataCollectionRuleResourceId: dataCollectionRuleId
  }
}
