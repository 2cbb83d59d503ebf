// App Service Authentication ("Easy Auth") in front of the Function App, for AUTH_MODE=easyauth.
// The app trusts the x-ms-client-principal header only because the platform validates the caller's
// token and strips that header from inbound requests, which it does only with authentication on and
// required: so the mode and this resource go together (main.bicep enables it exactly for easyauth;
// shared/config.ts refuses easyauth unless the platform reports WEBSITE_AUTH_ENABLED=True).
// Shape: learn.microsoft.com/azure/templates/microsoft.web/sites/config-authsettingsv2.

@description('True when AUTH_MODE=easyauth: authentication on and required. False: nothing is deployed.')
param enabled bool
param siteName string
@description('Client id of the API’s Entra app registration (the Easy Auth identity provider).')
param clientId string
@description('Issuer of the callers’ tokens, e.g. https://login.microsoftonline.com/<tenant>/v2.0.')
param openIdIssuer string
@description('Accepted `aud` values (the API’s application ID URI or client id).')
param allowedAudiences array = []
@description('Client ids allowed to call (`azp`/`appid`); empty: any client.')
param allowedClientIds array = []

// The routes that take no caller (API.md, "Caller identity"): health probes, the OpenAPI document and
// Microsoft Graph's change notifications, which authenticate by their own handshake and clientState.
var excludedPaths = [
  '/api/health'
  '/api/openapi.json'
  '/api/integrations/notifications'
  '/api/integrations/notifications/lifecycle'
]

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: siteName
}

resource authSettings 'Microsoft.Web/sites/config@2024-04-01' = if (enabled) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      // An API: no sign-in redirects, a plain 401 for a missing or bad token.
      unauthenticatedClientAction: 'Return401'
      excludedPaths: excludedPaths
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          clientId: clientId
          openIdIssuer: openIdIssuer
        }
        validation: union(
          { allowedAudiences: allowedAudiences },
          empty(allowedClientIds) ? {} : { defaultAuthorizationPolicy: { allowedApplications: allowedClientIds } }
        )
      }
    }
    login: {
      // Bearer tokens from the SPA only: no server-side session token store.
      tokenStore: {
        enabled: false
      }
    }
  }
}
