#!/bin/sh
# azd postprovision: creates the token-encryption key (32 random bytes, base64) in Key Vault when
# the secret does not exist yet, then gives the app's identity Key Vault Secrets User on that one
# secret (roles.bicep cannot: the secret does not exist while Bicep runs; nothing is granted on the
# whole vault). It never writes a new version of an existing key: rotation is a deliberate
# operator step (docs/operations.md). The value never reaches stdout or a log.
# Needs the Azure CLI signed in as the deployer (Key Vault Secrets Officer, assigned by roles.bicep,
# and the right to assign roles, which provisioning the Bicep's role assignments needs anyway).
set -eu

vault="${KEY_VAULT_NAME:?KEY_VAULT_NAME is not set (azd provision outputs it)}"
vault_id="${KEY_VAULT_ID:?KEY_VAULT_ID is not set (azd provision outputs it)}"
app="${APP_PRINCIPAL_ID:?APP_PRINCIPAL_ID is not set (azd provision outputs it)}"
name="${TOKEN_KEY_SECRET_NAME:-token-encryption-key}"
retry_s="${POSTPROVISION_RETRY_SECONDS:-30}"
secrets_user=4633458b-17de-408a-b874-0445c86b69e6

ensure_key() {
  attempt=1
  while :; do
    if out=$(az keyvault secret show --vault-name "$vault" --name "$name" --query id --output tsv 2>&1); then
      echo "Token key '$name' already exists in $vault; left as it is."
      return 0
    fi
    case "$out" in
      *SecretNotFound*)
        # Through a private temporary file, not --value: a command line is visible to other users.
        umask 077
        file=$(mktemp)
        trap 'rm -f "$file"' EXIT
        openssl rand -base64 32 | tr -d '\n' > "$file"
        az keyvault secret set --vault-name "$vault" --name "$name" --file "$file" --encoding utf-8 \
          --content-type 'base64 of 32 random bytes (AES-256 token key)' --output none
        rm -f "$file"
        echo "Token key '$name' created in $vault."
        return 0
        ;;
    esac
    # A new role assignment can take a few minutes to apply: 403 until then.
    if [ "$attempt" -ge 10 ]; then
      echo "Could not read '$name' in $vault after $attempt attempts:" >&2
      echo "$out" >&2
      exit 1
    fi
    echo "Key Vault not accessible yet (attempt $attempt); retrying in ${retry_s}s."
    attempt=$((attempt + 1))
    sleep "$retry_s"
  done
}

ensure_key
# Idempotent: the same principal, role and scope again is accepted (or reported as existing).
if ! out=$(az role assignment create --assignee-object-id "$app" --assignee-principal-type ServicePrincipal \
  --role "$secrets_user" --scope "$vault_id/secrets/$name" --output none 2>&1); then
  case "$out" in
    *RoleAssignmentExists*) ;;
    *) echo "Could not give the app Key Vault Secrets User on '$name':" >&2; echo "$out" >&2; exit 1 ;;
  esac
fi
echo "The app's identity can read '$name' (Key Vault Secrets User on that secret only)."
