// Private networking (main.bicep `privateNetworking`, off by default): a virtual network with the
// Function App's integration subnet (Flex Consumption delegates it to Microsoft.App/environments)
// and private endpoints for blob, queue, table and Key Vault, resolved through private DNS zones
// linked to the network. With it, storage and Key Vault turn public network access off.
// Trade-offs (docs/operations.md): a VNet, four private endpoints and four DNS zones cost money
// every hour; the deploying machine must reach the vault's data plane for the postprovision hook
// (a runner inside the network, or a temporary firewall rule); Flex Consumption needs the
// integration subnet to be at least /27 and to stay unused by anything else.

param name string
param location string
param tags object
param storageAccountId string
param keyVaultId string
@description('Address space; the app subnet is its first /24, the private endpoints its second.')
param addressPrefix string = '10.40.0.0/16'

var storageSuffix = environment().suffixes.storage
// '.vault.azure.net' → 'privatelink.vaultcore.azure.net' (and the national clouds' equivalents).
var vaultZone = 'privatelink${replace(environment().suffixes.keyvaultDns, '.vault.', '.vaultcore.')}'
var endpoints = [
  { name: 'blob', resourceId: storageAccountId, zone: 'privatelink.blob.${storageSuffix}' }
  { name: 'queue', resourceId: storageAccountId, zone: 'privatelink.queue.${storageSuffix}' }
  { name: 'table', resourceId: storageAccountId, zone: 'privatelink.table.${storageSuffix}' }
  { name: 'vault', resourceId: keyVaultId, zone: vaultZone }
]

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    addressSpace: { addressPrefixes: [addressPrefix] }
    subnets: [
      {
        name: 'app'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 0)
          delegations: [{ name: 'flex-consumption', properties: { serviceName: 'Microsoft.App/environments' } }]
        }
      }
      {
        name: 'private-endpoints'
        properties: {
          addressPrefix: cidrSubnet(addressPrefix, 24, 1)
          privateEndpointNetworkPolicies: 'Disabled'
        }
      }
    ]
  }
}

resource zones 'Microsoft.Network/privateDnsZones@2024-06-01' = [
  for endpoint in endpoints: {
    name: endpoint.zone
    location: 'global'
    tags: tags
  }
]

resource zoneLinks 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = [
  for (endpoint, i) in endpoints: {
    parent: zones[i]
    name: '${name}-${endpoint.name}'
    location: 'global'
    tags: tags
    properties: {
      virtualNetwork: { id: vnet.id }
      registrationEnabled: false
    }
  }
]

resource privateEndpoints 'Microsoft.Network/privateEndpoints@2024-05-01' = [
  for endpoint in endpoints: {
    name: 'pe-${endpoint.name}-${name}'
    location: location
    tags: tags
    properties: {
      subnet: { id: resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'private-endpoints') }
      privateLinkServiceConnections: [
        {
          name: endpoint.name
          properties: { privateLinkServiceId: endpoint.resourceId, groupIds: [endpoint.name] }
        }
      ]
    }
  }
]

resource dnsGroups 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = [
  for (endpoint, i) in endpoints: {
    parent: privateEndpoints[i]
    name: 'default'
    properties: {
      privateDnsZoneConfigs: [{ name: endpoint.name, properties: { privateDnsZoneId: zones[i].id } }]
    }
  }
]

output appSubnetId string = resourceId('Microsoft.Network/virtualNetworks/subnets', vnet.name, 'app')
