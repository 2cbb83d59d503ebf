#!/bin/sh
# azd postprovision: creates the token-encryption key (32 random bytes, base64) in Key Vault when
# the secret does not exist yet. It never writes a new version of an existing key: rotation is a
# deliberate operator step (docs/operations.md). The value never reaches stdout or a log.
# Needs the Azure CLI signed in as the deployer (Key Vault Secrets Officer, assigned by roles.bicep).
set -eu

vault="${KEY_VAULT_NAME:?KEY_VAULT_NAME is not set (azd provision outputs it)}"
name="${TOKEN_KEY_SECRET_NAME:-token-encryption-key}"
retry_s="${POSTPROVISION_RETRY_SECONDS:-30}"

attempt=1
while :; do
  if out=$(az keyvault secret show --vault-name "$vault" --name "$name" --query id --output tsv 2>&1); then
    echo "Token key '$name' already exists in $vault; left as it is."
    exit 0
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
      echo "Token key '$name' created in $vault."
      exit 0
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
