<#
.SYNOPSIS
    Try CognitoDevice against a local Cognito endpoint, in one command from a clean clone:
        dotnet tool restore && dotnet pwsh -NoProfile -File ./try.ps1

.DESCRIPTION
    Builds the module and the local Cognito endpoint (tests/CognitoDevice.LocalEndpoint, on 127.0.0.1 only; it never
    contacts AWS), starts the endpoint with a demo user pool (us-east-1_LocalDemo, user alice, five devices), and opens
    PowerShell with:
      - the module imported from output/;
      - $token: an access token of alice (never printed);
      - AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER pointing at the endpoint, so no -EndpointUrl is needed;
      - the committed fake test profile cognito-local (AWS_PROFILE, AWS_SHARED_CREDENTIALS_FILE) for the Admin set,
        an empty AWS config file, and AWS_EC2_METADATA_DISABLED=true.
    It prints three commands to try. When that shell exits, the endpoint is stopped.

.PARAMETER Command
    Run this in the prepared shell instead of opening it for you to type in (for scripts and tests), then stop.
#>
[CmdletBinding()]
param(
    [string]$Command
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2.0
$root = $PSScriptRoot

foreach ($project in 'src/CognitoDevice', 'tests/CognitoDevice.LocalEndpoint') {
    Write-Host "Building $project ..."
    & dotnet build (Join-Path $root $project) -c Debug -nologo -v quiet | Out-Null
    if ($LASTEXITCODE -ne 0) { throw "dotnet build $project failed; run it by hand to see why." }
}

Import-Module (Join-Path $root 'tests/TestHelpers.psm1') -Force
$manifest = Get-CognitoDeviceManifestPath
$endpoint = Start-LocalCognito
$config = [System.IO.Path]::GetTempFileName()
try {
    $token = New-LocalAccessToken -PoolId 'us-east-1_LocalDemo' -Username 'alice'

    $setup = @'
Import-Module {{MANIFEST}}
$token = $env:COGNITODEVICE_TRY_TOKEN
Remove-Item -Path env:COGNITODEVICE_TRY_TOKEN
Write-Host ''
Write-Host 'CognitoDevice {{VERSION}} against the local Cognito endpoint at {{URL}} (AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER).'
Write-Host 'User pool us-east-1_LocalDemo, user alice, five devices; $token holds alice''s access token. Try:'
Write-Host ''
Write-Host '  Get-CognitoDevice -AccessToken $token'
Write-Host '  Get-CognitoDevice -UserPoolId us-east-1_LocalDemo -Username alice | Format-List DeviceName, DeviceKey, LastAuthenticatedDate'
Write-Host '  Get-CognitoDevice -AccessToken $token | Select-Object -First 1 | Remove-CognitoDevice -AccessToken $token -WhatIf'
Write-Host ''
Write-Host 'Get-Help about_CognitoDevice for more; exit to stop the endpoint.'
'@
    $setup = $setup.Replace('{{MANIFEST}}', (ConvertTo-PSLiteral $manifest)).Replace('{{URL}}', $endpoint.Url).Replace('{{VERSION}}', (Get-CognitoDeviceModuleVersion))

    $environment = @{
        COGNITODEVICE_TRY_TOKEN                     = $token
        AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER  = $endpoint.Url
        AWS_PROFILE                                 = 'cognito-local'
        AWS_SHARED_CREDENTIALS_FILE                 = (Join-Path $root 'tests/CognitoDevice.LocalEndpoint/local-credentials')
        AWS_CONFIG_FILE                             = $config
        AWS_EC2_METADATA_DISABLED                   = 'true'
    }
    foreach ($entry in $environment.GetEnumerator()) { [Environment]::SetEnvironmentVariable($entry.Key, $entry.Value) }
    foreach ($name in 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_ENDPOINT_URL') {
        [Environment]::SetEnvironmentVariable($name, [NullString]::Value)
    }

    # The same PowerShell as this one: `dotnet <PSHOME>/pwsh.dll` for the .NET tool, else this executable.
    $self = (Get-Process -Id $PID).Path
    $prefix = @()
    if ([System.IO.Path]::GetFileNameWithoutExtension($self) -eq 'dotnet') { $prefix = @((Join-Path $PSHOME 'pwsh.dll')) }
    if ($Command) {
        & $self @prefix -NoProfile -NoLogo -Command ($setup + "`n" + $Command)
    }
    else {
        & $self @prefix -NoProfile -NoLogo -NoExit -Command $setup
    }
    $status = $LASTEXITCODE
}
finally {
    [Environment]::SetEnvironmentVariable('COGNITODEVICE_TRY_TOKEN', [NullString]::Value)
    Stop-LocalCognito
    Remove-Item -LiteralPath $config -ErrorAction SilentlyContinue
    Write-Host 'The local Cognito endpoint is stopped.'
}
exit $status
