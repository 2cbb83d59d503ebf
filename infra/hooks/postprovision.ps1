# azd postprovision (Windows): the same as postprovision.sh. Creates the token-encryption key
# (32 random bytes, base64) only when the secret does not exist; never rotates it; never prints it.
# Then gives the app's identity Key Vault Secrets User on that one secret (not the vault).
$ErrorActionPreference = 'Stop'
$vault = $env:KEY_VAULT_NAME
if (-not $vault) { throw 'KEY_VAULT_NAME is not set (azd provision outputs it)' }
$vaultId = $env:KEY_VAULT_ID
if (-not $vaultId) { throw 'KEY_VAULT_ID is not set (azd provision outputs it)' }
$app = $env:APP_PRINCIPAL_ID
if (-not $app) { throw 'APP_PRINCIPAL_ID is not set (azd provision outputs it)' }
$name = if ($env:TOKEN_KEY_SECRET_NAME) { $env:TOKEN_KEY_SECRET_NAME } else { 'token-encryption-key' }
$secretsUser = '4633458b-17de-408a-b874-0445c86b69e6'

for ($attempt = 1; ; $attempt++) {
  $out = az keyvault secret show --vault-name $vault --name $name --query id --output tsv 2>&1
  if ($LASTEXITCODE -eq 0) { Write-Host "Token key '$name' already exists in $vault; left as it is."; break }
  if ("$out" -match 'SecretNotFound') {
    $bytes = [byte[]]::new(32)
    [System.Security.Cryptography.RandomNumberGenerator]::Fill($bytes)
    # Through a temporary file, not --value: a command line is visible to other processes.
    $file = New-TemporaryFile
    try {
      [System.IO.File]::WriteAllText($file.FullName, [Convert]::ToBase64String($bytes))
      az keyvault secret set --vault-name $vault --name $name --file $file.FullName --encoding utf-8 `
        --content-type 'base64 of 32 random bytes (AES-256 token key)' --output none
      if ($LASTEXITCODE -ne 0) { throw "Could not create '$name' in $vault" }
    } finally {
      Remove-Item -Force $file.FullName
      [Array]::Clear($bytes, 0, $bytes.Length)
    }
    Write-Host "Token key '$name' created in $vault."
    break
  }
  # A new role assignment can take a few minutes to apply: 403 until then.
  if ($attempt -ge 10) { throw "Could not read '$name' in $vault after $attempt attempts: $out" }
  Write-Host "Key Vault not accessible yet (attempt $attempt); retrying in 30 s."
  Start-Sleep -Seconds 30
}

$out = az role assignment create --assignee-object-id $app --assignee-principal-type ServicePrincipal `
  --role $secretsUser --scope "$vaultId/secrets/$name" --output none 2>&1
if ($LASTEXITCODE -ne 0 -and -not ("$out" -match 'RoleAssignmentExists')) {
  throw "Could not give the app Key Vault Secrets User on '$name': $out"
}
Write-Host "The app's identity can read '$name' (Key Vault Secrets User on that secret only)."
