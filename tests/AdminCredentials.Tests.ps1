#Requires -Version 5.1
<#
    Admin credentials, black-box: every AWS credential source an administrator uses lists a user's devices through
    the Admin parameter set of the built module against the local endpoint, in a fresh child PowerShell each (so the
    module's credential cache starts empty and the environment is the test's alone). The local endpoint also stands
    in for AWS STS, the IAM Identity Center portal and a container credentials endpoint (Sts/AuthStandIns.cs); the SDK
    is pointed at it with AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_SSO, so nothing leaves 127.0.0.1. Each source is
    cross-checked with boto3 on the same files and environment (tests/AdminCredentials.boto3.py).
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $script:url = (Start-LocalCognito).Url
    $script:manifest = Get-CognitoDeviceManifestPath
    $script:helpers = Join-Path $PSScriptRoot 'TestHelpers.psm1'
    $script:crossCheck = Join-Path $PSScriptRoot 'AdminCredentials.boto3.py'
    $script:python = Get-Command -Name 'python3', 'python' -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1

    # The fake credentials of tests/CognitoDevice.LocalEndpoint (LocalCredentials) and the stand-ins' tokens (AuthStandIns).
    $script:static = @{ Id = 'AKIDLOCALCOGNITO'; Secret = 'LocalCognitoFakeSecretKey/NotForAws/000000' }
    $script:session = @{ Id = 'ASIALOCALCOGNITOSTS'; Secret = 'LocalCognitoFakeSessionSecret/NotForAws/00'; Token = 'LocalCognitoFakeSessionToken/NotForAws//LocalOnly==' }
    $script:webToken = 'LocalWebIdentityToken.NotForAws.0001'
    $script:ssoToken = 'LocalSsoAccessToken.NotForAws.0001'
    $script:containerToken = 'LocalContainerAuthorization.NotForAws.0001'
    $script:secrets = @($static.Secret, $session.Secret, $session.Token, $webToken, $ssoToken, $containerToken)

    # One temporary HOME with ~/.aws/config, ~/.aws/credentials, the SSO token cache, a web identity token file and a
    # credential_process script.
    $script:awsHome = Join-Path ([System.IO.Path]::GetTempPath()) ('cognitodevice-creds-{0}' -f [guid]::NewGuid().ToString('N'))
    $aws = Join-Path $awsHome '.aws'
    $ssoCache = Join-Path (Join-Path $aws 'sso') 'cache'
    $null = New-Item -ItemType Directory -Path $ssoCache -Force
    $script:configFile = Join-Path $aws 'config'
    $script:credentialsFile = Join-Path $aws 'credentials'
    $webTokenFile = Join-Path $awsHome 'web-identity-token'
    [System.IO.File]::WriteAllText($webTokenFile, $webToken)
    $processScript = Join-Path $awsHome 'credential-process.py'
    [System.IO.File]::WriteAllText($processScript, (@'
import json, sys
if len(sys.argv) > 1 and sys.argv[1] == "fail":
    print("credential helper: no session for this user; SecretAccessKey=" + "{0}", file=sys.stderr)
    sys.exit(3)
print(json.dumps({{"Version": 1, "AccessKeyId": "{1}", "SecretAccessKey": "{0}"}}))
'@ -f $static.Secret, $static.Id))
    $pythonPath = if ($python) { $python.Path } else { 'python3' }
    $role = 'arn:aws:iam::000000000000:role/'

    [System.IO.File]::WriteAllText($credentialsFile, @"
[static]
aws_access_key_id = $($static.Id)
aws_secret_access_key = $($static.Secret)

[static-session]
aws_access_key_id = $($session.Id)
aws_secret_access_key = $($session.Secret)
aws_session_token = $($session.Token)
"@)
    [System.IO.File]::WriteAllText($configFile, @"
[profile static]
region = us-east-1

[profile process]
credential_process = "$pythonPath" "$processScript"

[profile process-fails]
credential_process = "$pythonPath" "$processScript" fail

[profile role-source]
role_arn = ${role}cognito-admin
source_profile = static
role_session_name = cognitodevice-source

[profile role-env]
role_arn = ${role}cognito-admin-env
credential_source = Environment
role_session_name = cognitodevice-env

[profile role-chained]
role_arn = ${role}cognito-admin-chained
source_profile = role-source
role_session_name = cognitodevice-chained

[profile role-mfa]
role_arn = ${role}cognito-admin-mfa
source_profile = static
mfa_serial = arn:aws:iam::000000000000:mfa/admin
role_session_name = cognitodevice-mfa

[profile role-denied]
role_arn = ${role}denied-admin
source_profile = static
role_session_name = cognitodevice-denied

[profile web]
role_arn = ${role}cognito-admin-web
web_identity_token_file = $webTokenFile
role_session_name = cognitodevice-web

[sso-session local]
sso_start_url = https://local-sso.invalid/start
sso_region = us-east-1
sso_registration_scopes = sso:account:access

[profile sso]
sso_session = local
sso_account_id = 000000000000
sso_role_name = CognitoAdmin

[profile sso-legacy]
sso_start_url = https://local-sso.invalid/legacy-start
sso_region = us-east-1
sso_account_id = 000000000000
sso_role_name = CognitoAdmin

[sso-session expired]
sso_start_url = https://local-sso.invalid/expired-start
sso_region = us-east-1

[profile sso-expired]
sso_session = expired
sso_account_id = 000000000000
sso_role_name = CognitoAdmin

[sso-session never]
sso_start_url = https://local-sso.invalid/never-start
sso_region = us-east-1

[profile sso-missing]
sso_session = never
sso_account_id = 000000000000
sso_role_name = CognitoAdmin
"@)

    # Token caches as 'aws sso login' writes them: named by the SHA-1 of the session name (sso_session) or of the
    # start URL (legacy form).
    function Get-Sha1Hex([string]$Text) {
        $sha = [System.Security.Cryptography.SHA1]::Create()
        try { return (-join ($sha.ComputeHash([System.Text.Encoding]::UTF8.GetBytes($Text)) | ForEach-Object { $_.ToString('x2') })) }
        finally { $sha.Dispose() }
    }
    $later = [DateTime]::UtcNow.AddHours(8).ToString('yyyy-MM-ddTHH:mm:ssZ')
    $earlier = [DateTime]::UtcNow.AddHours(-1).ToString('yyyy-MM-ddTHH:mm:ssZ')
    foreach ($cache in @(
            @{ Name = 'local'; StartUrl = 'https://local-sso.invalid/start'; ExpiresAt = $later }
            @{ Name = 'https://local-sso.invalid/legacy-start'; StartUrl = 'https://local-sso.invalid/legacy-start'; ExpiresAt = $later }
            @{ Name = 'expired'; StartUrl = 'https://local-sso.invalid/expired-start'; ExpiresAt = $earlier })) {
        $json = ConvertTo-Json -Compress -InputObject ([ordered]@{ startUrl = $cache.StartUrl; region = 'us-east-1'; accessToken = $ssoToken; expiresAt = $cache.ExpiresAt })
        [System.IO.File]::WriteAllText((Join-Path $ssoCache ((Get-Sha1Hex $cache.Name) + '.json')), $json)
    }

    # What every child gets: the temporary HOME and files, loopback STS and SSO endpoints, no instance metadata, and
    # none of the credential variables of this process.
    $script:baseEnvironment = @{
        HOME                                   = $awsHome
        USERPROFILE                            = $awsHome
        AWS_CONFIG_FILE                        = $configFile
        AWS_SHARED_CREDENTIALS_FILE            = $credentialsFile
        AWS_ENDPOINT_URL_STS                   = $url
        AWS_ENDPOINT_URL_SSO                   = $url
        AWS_ENDPOINT_URL_SSO_OIDC              = $url
        AWS_EC2_METADATA_DISABLED              = 'true'
        AWS_REGION                             = 'us-east-1'
        AWS_PROFILE                            = ''
        AWS_ACCESS_KEY_ID                      = ''
        AWS_SECRET_ACCESS_KEY                  = ''
        AWS_SESSION_TOKEN                      = ''
        AWS_ROLE_ARN                           = ''
        AWS_WEB_IDENTITY_TOKEN_FILE            = ''
        AWS_CONTAINER_CREDENTIALS_FULL_URI     = ''
        AWS_CONTAINER_CREDENTIALS_RELATIVE_URI = ''
        AWS_CONTAINER_AUTHORIZATION_TOKEN      = ''
        POWERSHELL_TELEMETRY_OPTOUT            = '1' # pwsh would resolve its telemetry host at start
    }
    $script:sourceEnvironment = @{
        'static keys'                 = @{ AWS_ACCESS_KEY_ID = $static.Id; AWS_SECRET_ACCESS_KEY = $static.Secret }
        'static keys with a token'    = @{ AWS_ACCESS_KEY_ID = $session.Id; AWS_SECRET_ACCESS_KEY = $session.Secret; AWS_SESSION_TOKEN = $session.Token }
        'AWS_PROFILE'                 = @{ AWS_PROFILE = 'static-session' }
        'credential_source'           = @{ AWS_ACCESS_KEY_ID = $static.Id; AWS_SECRET_ACCESS_KEY = $static.Secret }
        'web identity variables'      = @{ AWS_ROLE_ARN = "${role}cognito-admin-webenv"; AWS_WEB_IDENTITY_TOKEN_FILE = $webTokenFile; AWS_ROLE_SESSION_NAME = 'cognitodevice-webenv' }
        'container'                   = @{ AWS_CONTAINER_CREDENTIALS_FULL_URI = $url + '/_container/credentials'; AWS_CONTAINER_AUTHORIZATION_TOKEN = $containerToken }
    }

    function Get-ChildEnvironment([hashtable]$Extra) {
        $environment = $baseEnvironment.Clone()
        if ($Extra) { foreach ($key in $Extra.Keys) { $environment[$key] = $Extra[$key] } }
        return $environment
    }

    <#
        Lists the user's devices in a fresh pwsh with the Admin set (-Repeat N times) and returns Keys or the error
        (Id, Category, Message, Action, ExceptionType) and Text: everything the streams showed (-Verbose -Debug), to be
        searched for secrets.
    #>
    function Invoke-AdminList {
        param([object]$User, [string]$ProfileName, [hashtable]$Environment, [int]$Repeat = 1, [switch]$Interactive, [string]$Answer)

        $profileArgument = if ($ProfileName) { '-ProfileName ' + (ConvertTo-PSLiteral $ProfileName) } else { '' }
        # PowerShell on Unix cannot unset a variable through [Environment] (it stores ''), and AWSSDK.Core reads
        # AWS_DEFAULTS_MODE='' as an invalid mode: the child removes every empty AWS_* variable first.
        $script = @"
Get-ChildItem -Path Env:AWS_* | Where-Object { `$_.Value -eq '' } | Remove-Item
Import-Module $(ConvertTo-PSLiteral $helpers)
Import-Module $(ConvertTo-PSLiteral $manifest)
`$result = @{}
`$streams = New-Object System.Collections.Generic.List[object]
try {
    for (`$i = 0; `$i -lt $Repeat; `$i++) {
        `$keys = @(Get-CognitoDevice -UserPoolId $(ConvertTo-PSLiteral $User.PoolId) -Username $(ConvertTo-PSLiteral $User.Username) $profileArgument -EndpointUrl $(ConvertTo-PSLiteral $url) -Verbose -Debug *>&1 | ForEach-Object {
            if (`$_ -is [CognitoDevice.Device]) { `$_.DeviceKey } else { `$streams.Add(`$_) }
        })
    }
    `$result.Keys = `$keys
}
catch {
    `$streams.Add(`$_)
    `$result.Id = `$_.FullyQualifiedErrorId
    `$result.Category = [string]`$_.CategoryInfo.Category
    `$result.Message = `$_.Exception.Message
    `$result.Action = [string]`$_.ErrorDetails.RecommendedAction
    `$result.ExceptionType = `$_.Exception.GetType().FullName
    `$result.InnerType = if (`$_.Exception.InnerException) { `$_.Exception.InnerException.GetType().FullName } else { `$null }
    `$result.Inner = if (`$_.Exception.InnerException) { `$_.Exception.InnerException.ToString() } else { `$null }
}
`$result.Debug = @(`$streams | Where-Object { `$_ -is [System.Management.Automation.DebugRecord] } | ForEach-Object { `$_.Message })
`$result.Text = `$streams | ConvertTo-SearchableText
Write-TestResult `$result
"@
        $environment = Get-ChildEnvironment $Environment
        if (-not $Interactive) {
            $child = Invoke-ChildPowerShell -Script $script -Environment $environment -TimeoutSeconds 120
        }
        else {
            $child = Invoke-InteractiveChild -Script $script -Environment $environment -Answer $Answer
        }
        $child.Result | Add-Member -NotePropertyName ChildText -NotePropertyValue ($child.Output + $child.ErrorOutput) -Force
        return $child.Result
    }

    # A child pwsh without -NonInteractive whose standard input answers the host's prompt.
    function Invoke-InteractiveChild([string]$Script, [hashtable]$Environment, [string]$Answer) {
        $prelude = "`$ErrorActionPreference = 'Stop'; `$ProgressPreference = 'SilentlyContinue'`nfunction Write-TestResult { param(`$Value) [Console]::Out.WriteLine('RESULT:' + (ConvertTo-Json -InputObject `$Value -Compress -Depth 6)) }`n"
        $encoded = [Convert]::ToBase64String([System.Text.Encoding]::Unicode.GetBytes($prelude + $Script + "`nexit 0`n"))
        $id = [guid]::NewGuid().ToString('N')
        $in = Join-Path ([System.IO.Path]::GetTempPath()) "cognitodevice-stdin-$id.txt"
        $out = Join-Path ([System.IO.Path]::GetTempPath()) "cognitodevice-stdout-$id.txt"
        $err = Join-Path ([System.IO.Path]::GetTempPath()) "cognitodevice-stderr-$id.txt"
        [System.IO.File]::WriteAllText($in, $Answer + [Environment]::NewLine)
        $previous = @{}
        foreach ($name in $Environment.Keys) {
            $previous[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, [string]$Environment[$name])
        }
        try {
            $file = Get-PowerShellExecutable
            $arguments = @('-NoProfile', '-OutputFormat', 'Text', '-EncodedCommand', $encoded)
            if ($file.EndsWith('.dll', [System.StringComparison]::OrdinalIgnoreCase)) {
                $arguments = @($file) + $arguments
                $file = (Get-Process -Id $PID).Path # dotnet, running PowerShell as a .NET tool
            }
            $process = Start-Process -FilePath $file -ArgumentList $arguments -PassThru -NoNewWindow `
                -RedirectStandardInput $in -RedirectStandardOutput $out -RedirectStandardError $err
            $null = $process.Handle
        }
        finally {
            foreach ($name in $previous.Keys) { Set-ProcessVariable -Name $name -Value $previous[$name] }
        }
        try {
            if (-not $process.WaitForExit(120000)) {
                Stop-Process -Id $process.Id -Force -ErrorAction SilentlyContinue
                throw 'The interactive child did not finish within 120 s.'
            }
            $process.WaitForExit()
            $output = [string](Get-Content -LiteralPath $out -Raw)
            $result = $null
            foreach ($line in ($output -split "`r?`n")) { if ($line.StartsWith('RESULT:')) { $result = ConvertFrom-Json -InputObject $line.Substring(7) } }
            return [pscustomobject]@{ Output = $output; ErrorOutput = [string](Get-Content -LiteralPath $err -Raw); Result = $result }
        }
        finally {
            Remove-Item -LiteralPath $in, $out, $err -Force -ErrorAction SilentlyContinue
        }
    }

    # boto3 on the same files and environment: the keys it lists, or its error.
    function Invoke-Boto3List([object]$User, [string]$ProfileName, [hashtable]$Environment) {
        $environment = Get-ChildEnvironment $Environment
        $previous = @{}
        foreach ($name in $environment.Keys) {
            $previous[$name] = [Environment]::GetEnvironmentVariable($name)
            [Environment]::SetEnvironmentVariable($name, [string]$environment[$name])
        }
        try {
            $line = & $python.Path $crossCheck $url $User.PoolId $User.Username $ProfileName 2>&1 | Select-Object -Last 1
        }
        finally {
            foreach ($name in $previous.Keys) { Set-ProcessVariable -Name $name -Value $previous[$name] }
        }
        return ConvertFrom-Json -InputObject ([string]$line)
    }

    function Get-AuthCall([string]$Service) {
        $calls = @((Invoke-LocalControl -Method GET -Path 'auth/calls').calls)
        if ($Service) { $calls = @($calls | Where-Object { $_.service -eq $Service }) }
        return $calls
    }

    function Assert-NoSecret([string]$Text) {
        foreach ($secret in $secrets) {
            $Text.Contains($secret) | Should -BeFalse -Because 'no secret key, session token, SSO or web identity token may appear in any stream'
        }
    }
}

AfterAll {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
    if ($awsHome) { Remove-Item -LiteralPath $awsHome -Recurse -Force -ErrorAction SilentlyContinue }
}

Describe 'Admin credential sources' {
    BeforeEach {
        Reset-LocalCognito
        $null = Invoke-LocalControl -Method DELETE -Path 'auth/calls'
        $user = New-TestUser -DeviceCount 3
    }

    Context 'Each source lists the user''s devices, as boto3 does with the same files' {
        It '<Name>' -TestCases @(
            @{ Name = 'static keys'; ProfileName = $null; Calls = @() }
            @{ Name = 'static keys with a token'; ProfileName = $null; Calls = @() }
            @{ Name = '-ProfileName'; ProfileName = 'static'; Calls = @() }
            @{ Name = 'AWS_PROFILE'; ProfileName = $null; Calls = @() }
            @{ Name = 'credential_process'; ProfileName = 'process'; Calls = @() }
            @{ Name = 'assume role with source_profile'; ProfileName = 'role-source'; Calls = @('sts:AssumeRole:cognito-admin:AKIDLOCALCOGNITO') }
            @{ Name = 'credential_source'; ProfileName = 'role-env'; Calls = @('sts:AssumeRole:cognito-admin-env:AKIDLOCALCOGNITO') }
            @{ Name = 'chained roles'; ProfileName = 'role-chained'; Calls = @('sts:AssumeRole:cognito-admin:AKIDLOCALCOGNITO', 'sts:AssumeRole:cognito-admin-chained:ASIALOCALCOGNITOSTS') }
            @{ Name = 'web identity variables'; ProfileName = $null; Calls = @('sts:AssumeRoleWithWebIdentity:cognito-admin-webenv:') }
            @{ Name = 'web identity profile'; ProfileName = 'web'; Calls = @('sts:AssumeRoleWithWebIdentity:cognito-admin-web:') }
            @{ Name = 'IAM Identity Center (sso_session)'; ProfileName = 'sso'; Calls = @('sso:GetRoleCredentials::') }
            @{ Name = 'IAM Identity Center (legacy sso_start_url)'; ProfileName = 'sso-legacy'; Calls = @('sso:GetRoleCredentials::') }
            @{ Name = 'container'; ProfileName = $null; Calls = @('container:GetCredentials::') }
        ) {
            param($Name, $ProfileName, $Calls)
            $environment = $sourceEnvironment[$Name]

            $result = Invoke-AdminList -User $user -ProfileName $ProfileName -Environment $environment

            $result.Id | Should -BeNullOrEmpty -Because "$Name should resolve: $($result.Message) $($result.Inner)"
            @($result.Keys) | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            $seen = @(Get-AuthCall | ForEach-Object {
                    $roleName = if ($_.roleArn) { ($_.roleArn -split '/')[-1] } else { '' }
                    '{0}:{1}:{2}:{3}' -f $_.service, $_.action, $roleName, $_.signedBy })
            ($seen -join ' | ') | Should -BeExactly ($Calls -join ' | ')
            Assert-NoSecret ($result.Text + $result.ChildText)

            $boto = Invoke-Boto3List -User $user -ProfileName $ProfileName -Environment $environment
            $boto.error | Should -BeNullOrEmpty
            @($boto.keys) | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
        }
    }

    Context 'MFA roles' {
        It 'asks an interactive host for the code and assumes the role with it' {
            $result = Invoke-AdminList -User $user -ProfileName 'role-mfa' -Interactive -Answer '123456'

            $result.Id | Should -BeNullOrEmpty -Because $result.Message
            @($result.Keys) | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            $call = @(Get-AuthCall -Service 'sts')
            $call.Count | Should -Be 1
            $call[0].serialNumber | Should -BeExactly 'arn:aws:iam::000000000000:mfa/admin'
            $call[0].tokenCodeGiven | Should -BeTrue
        }

        It 'ends with MfaRequired when the person enters no code' {
            $result = Invoke-AdminList -User $user -ProfileName 'role-mfa' -Interactive -Answer ''

            $result.Id | Should -BeExactly 'MfaRequired,CognitoDevice.Commands.GetCognitoDeviceCommand'
            @(Get-AuthCall -Service 'sts').Count | Should -Be 0
        }

        It 'ends a non-interactive host with MfaRequired at once, without calling STS' {
            $clock = [System.Diagnostics.Stopwatch]::StartNew()
            $result = Invoke-AdminList -User $user -ProfileName 'role-mfa'
            $clock.Stop()

            $result.Id | Should -BeExactly 'MfaRequired,CognitoDevice.Commands.GetCognitoDeviceCommand'
            $result.Category | Should -BeExactly 'AuthenticationError'
            $result.Message | Should -Match ([regex]::Escape("profile 'role-mfa'"))
            $result.Message | Should -Match ([regex]::Escape('arn:aws:iam::000000000000:mfa/admin'))
            $result.Action | Should -Match 'interactive'
            @(Get-AuthCall -Service 'sts').Count | Should -Be 0
            $clock.Elapsed.TotalSeconds | Should -BeLessThan 60 -Because 'a non-interactive host never waits for an answer'
        }
    }

    Context 'Failures are one typed terminating error naming the source and the fix' {
        It '<Name>' -TestCases @(
            @{ Name = 'an expired SSO token'; ProfileName = 'sso-expired'; Id = 'SsoTokenExpired'; Says = "aws sso login --profile sso-expired"; Environment = @{} }
            @{ Name = 'no SSO token at all'; ProfileName = 'sso-missing'; Id = 'SsoTokenExpired'; Says = "aws sso login --profile sso-missing"; Environment = @{} }
            @{ Name = 'a profile that does not exist'; ProfileName = 'no-such-profile'; Id = 'ProfileNotFound'; Says = "profile 'no-such-profile' (-ProfileName)"; Environment = @{} }
            @{ Name = 'AWS_PROFILE naming no profile'; ProfileName = $null; Id = 'ProfileNotFound'; Says = "profile 'ghost' (AWS_PROFILE)"; Environment = @{ AWS_PROFILE = 'ghost' } }
            @{ Name = 'a role STS refuses'; ProfileName = 'role-denied'; Id = 'AssumeRoleFailed'; Says = 'arn:aws:iam::000000000000:role/denied-admin (AccessDenied)'; Environment = @{} }
            @{ Name = 'a failing credential_process'; ProfileName = 'process-fails'; Id = 'CredentialProcessFailed'; Says = "profile 'process-fails'"; Environment = @{} }
            @{ Name = 'a web identity token STS rejects'; ProfileName = $null; Id = 'AssumeRoleFailed'; Says = 'InvalidIdentityToken'; Environment = @{ AWS_ROLE_ARN = 'arn:aws:iam::000000000000:role/web'; AWS_WEB_IDENTITY_TOKEN_FILE = '__BADTOKEN__' } }
            @{ Name = 'a container endpoint that refuses the token'; ProfileName = $null; Id = 'ContainerCredentialsFailed'; Says = 'AWS_CONTAINER_CREDENTIALS_FULL_URI'; Environment = @{ AWS_CONTAINER_CREDENTIALS_FULL_URI = '__URL__/_container/credentials'; AWS_CONTAINER_AUTHORIZATION_TOKEN = 'wrong' } }
            @{ Name = 'no source at all'; ProfileName = $null; Id = 'CredentialsNotFound'; Says = 'AWS_EC2_METADATA_DISABLED'; Environment = @{} }
        ) {
            param($Name, $ProfileName, $Id, $Says, $Environment)
            $variables = @{}
            foreach ($key in $Environment.Keys) { $variables[$key] = $Environment[$key].Replace('__URL__', $url) }
            if ($variables['AWS_WEB_IDENTITY_TOKEN_FILE'] -eq '__BADTOKEN__') {
                $bad = Join-Path $awsHome 'bad-web-identity-token'
                [System.IO.File]::WriteAllText($bad, 'not-the-token')
                $variables['AWS_WEB_IDENTITY_TOKEN_FILE'] = $bad
            }

            $result = Invoke-AdminList -User $user -ProfileName $ProfileName -Environment $variables

            $result.Id | Should -BeExactly "$Id,CognitoDevice.Commands.GetCognitoDeviceCommand"
            $result.Category | Should -BeExactly 'AuthenticationError'
            $result.ExceptionType | Should -BeExactly 'CognitoDevice.CognitoDeviceConfigurationException'
            if ($result.InnerType) { $result.InnerType | Should -Not -Match '^Amazon\.' -Because 'no SDK exception type escapes' }
            $result.Message | Should -Match ([regex]::Escape($Says))
            # No raw SDK dump (issue 7): not the web identity path complaint when no web identity is configured,
            # not an instance-metadata failure while metadata is disabled, no SDK type names.
            $result.Message | Should -Not -Match 'webIdentityTokenFile|must be an absolute path|Amazon\.|Exception'
            $result.Action | Should -Not -BeNullOrEmpty
            Assert-NoSecret ($result.Text + $result.ChildText)
        }

        It 'keeps the SDK''s detail, without secrets, in the inner exception and the debug stream' {
            $result = Invoke-AdminList -User $user -ProfileName 'role-denied'

            $result.Id | Should -BeExactly 'AssumeRoleFailed,CognitoDevice.Commands.GetCognitoDeviceCommand'
            $result.Message | Should -Not -Match 'Amazon\.' -Because 'the message is the module''s sentence, not an SDK dump'
            $result.InnerType | Should -BeExactly 'CognitoDevice.Auth.CredentialResolutionDetail'
            $result.Inner | Should -Match ([regex]::Escape('Amazon.SecurityToken.AmazonSecurityTokenServiceException: User is not authorized to perform: sts:AssumeRole'))
            ($result.Debug -join "`n") | Should -Match ([regex]::Escape('Amazon.Runtime.AmazonClientException: Error calling AssumeRole'))
            Assert-NoSecret ($result.Text + $result.ChildText + $result.Inner)
        }

        It 'boto3 also fails for an expired SSO token (the same files)' {
            $boto = Invoke-Boto3List -User $user -ProfileName 'sso-expired' -Environment @{}
            $boto.error | Should -Not -BeNullOrEmpty
        }
    }

    Context 'One resolved credential per source for the module''s life' {
        It '<Name>: 100 invocations call <Service> once' -TestCases @(
            @{ Name = 'assume role'; ProfileName = 'role-source'; Service = 'sts'; Environment = $null }
            @{ Name = 'IAM Identity Center'; ProfileName = $null; Service = 'sso'; Environment = @{ AWS_PROFILE = 'sso' } }
            @{ Name = 'web identity variables'; ProfileName = $null; Service = 'sts'; Environment = 'web identity variables' }
        ) {
            param($Name, $ProfileName, $Service, $Environment)
            if ($Environment -is [string]) { $Environment = $sourceEnvironment[$Environment] }

            $result = Invoke-AdminList -User $user -ProfileName $ProfileName -Environment $Environment -Repeat 100

            $result.Id | Should -BeNullOrEmpty -Because $result.Message
            @(Get-LocalRequest -Operation 'AdminListDevices').Count | Should -Be 100
            @(Get-AuthCall -Service $Service).Count | Should -Be 1
        }

        It 'a runbook removing 100 devices one Remove-CognitoDevice call per record assumes the role once' {
            $keys = @(Add-LocalDevice -PoolId $user.PoolId -Username $user.Username -Count 100 -Seed 9)
            $keyList = ($keys | ForEach-Object { ConvertTo-PSLiteral $_ }) -join ', '
            $script = @"
Get-ChildItem -Path Env:AWS_* | Where-Object { `$_.Value -eq '' } | Remove-Item
Import-Module $(ConvertTo-PSLiteral $manifest)
foreach (`$key in @($keyList)) {
    Remove-CognitoDevice -DeviceKey `$key -UserPoolId $(ConvertTo-PSLiteral $user.PoolId) -Username $(ConvertTo-PSLiteral $user.Username) -ProfileName 'role-source' -EndpointUrl $(ConvertTo-PSLiteral $url) -Confirm:`$false
}
Write-TestResult 'done'
"@
            $child = Invoke-ChildPowerShell -Script $script -Environment (Get-ChildEnvironment @{}) -TimeoutSeconds 300

            $child.Result | Should -BeExactly 'done' -Because ($child.Output + $child.ErrorOutput)
            @(Get-LocalRequest -Operation 'AdminForgetDevice' | Where-Object { $_.statusCode -eq 200 }).Count | Should -Be 100
            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            @(Get-AuthCall -Service 'sts').Count | Should -Be 1
        }
    }
}
