#Requires -Version 5.1
<#
    Remove-CognitoDevice, black-box: the built module (output/CognitoDevice/<version>/) against the local Cognito
    endpoint (tests/CognitoDevice.LocalEndpoint), started once for this file. Every It sets up its own pool, user,
    devices and token after a reset of the endpoint, so no It depends on another.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $url = (Start-LocalCognito).Url
    $manifest = Get-CognitoDeviceManifestPath
    Import-Module $manifest -Force
    $profileName = 'cognito-local'
}

AfterAll {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}

Describe 'Remove-CognitoDevice' {
    BeforeEach {
        Reset-LocalCognito
    }

    Context 'Binding' {
        It 'forgets the device named by a positional key (access token)' {
            $user = New-TestUser -DeviceCount 2

            Remove-CognitoDevice $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[1]
        }

        It 'forgets the device named by a positional key (user pool and user name)' {
            $user = New-TestUser -DeviceCount 2

            Remove-CognitoDevice $user.DeviceKeys[1] -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url -Confirm:$false

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[0]
        }

        It 'forgets several keys given to -DeviceKey' {
            $user = New-TestUser -DeviceCount 3

            Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0], $user.DeviceKeys[2] -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[1]
            @(Get-LocalRequest -Operation 'ForgetDevice').Count | Should -Be 2
        }

        It 'forgets keys piped as strings' {
            $user = New-TestUser -DeviceCount 3

            $user.DeviceKeys[0], $user.DeviceKeys[1] | Remove-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[2]
        }

        It 'forgets keys piped as strings with the user on the command line' {
            $user = New-TestUser -DeviceCount 3

            $user.DeviceKeys[1], $user.DeviceKeys[2] |
                Remove-CognitoDevice -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url -Confirm:$false

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[0]
            @(Get-LocalRequest -Operation 'AdminForgetDevice').Count | Should -Be 2
        }

        It 'takes DeviceKey by property name from piped objects (access token)' {
            $user = New-TestUser -DeviceCount 3
            $objects = @(
                [pscustomobject]@{ DeviceKey = $user.DeviceKeys[0] }
                [pscustomobject]@{ DeviceKey = $user.DeviceKeys[2] }
            )

            $objects | Remove-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[1]
        }

        It 'takes UserPoolId, Username and DeviceKey by property name from piped objects' {
            $user = New-TestUser -DeviceCount 3
            $objects = @(
                [pscustomobject]@{ UserPoolId = $user.PoolId; Username = $user.Username; DeviceKey = $user.DeviceKeys[0] }
                [pscustomobject]@{ UserPoolId = $user.PoolId; Username = $user.Username; DeviceKey = $user.DeviceKeys[1] }
            )

            $objects | Remove-CognitoDevice -ProfileName $profileName -EndpointUrl $url -Confirm:$false

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[2]
            @(Get-LocalRequest -Operation 'AdminForgetDevice').Count | Should -Be 2
        }

        It 'forgets the devices piped from Get-CognitoDevice -AccessToken when the token is passed again' {
            # 12 devices: more than one ListDevices page, so devices are forgotten while the listing pages on.
            $user = New-TestUser -DeviceCount 12

            Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url |
                Remove-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
            @(Get-LocalRequest -Operation 'ForgetDevice').Count | Should -Be 12
        }

        It 'forgets the devices piped from Get-CognitoDevice -UserPoolId -Username without repeating the user' {
            $user = New-TestUser -DeviceCount 12

            Get-CognitoDevice -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url |
                Remove-CognitoDevice -ProfileName $profileName -EndpointUrl $url -Confirm:$false

            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
            @(Get-LocalRequest -Operation 'AdminForgetDevice').Count | Should -Be 12
        }

        It 'ends with one AccessTokenRequired error, and forgets nothing, when devices listed with a token are piped without -AccessToken' {
            # Run in a non-interactive child: should the binder ever prompt for the token, that is an error there, not a hang here.
            $user = New-TestUser -DeviceCount 3
            $script = @'
Import-Module {{MANIFEST}}
$problem = $null
$errors = @()
try {
    Get-CognitoDevice -AccessToken $env:COGNITODEVICE_TEST_TOKEN -EndpointUrl {{URL}} |
        Remove-CognitoDevice -EndpointUrl {{URL}} -Confirm:$false -ErrorVariable +errors
}
catch {
    $problem = $_
}
Write-TestResult @{
    id       = [string]$problem.FullyQualifiedErrorId
    category = [string]$problem.CategoryInfo.Category
    message  = [string]$problem.Exception.Message
    action   = [string]$problem.ErrorDetails.RecommendedAction
    others   = @($errors).Count
}
'@
            $script = $script.Replace('{{MANIFEST}}', (ConvertTo-PSLiteral $manifest)).Replace('{{URL}}', (ConvertTo-PSLiteral $url))

            $child = Invoke-ChildPowerShell -Script $script -Environment @{ COGNITODEVICE_TEST_TOKEN = $user.Token }

            $child.Result | Should -Not -BeNullOrEmpty -Because "the child printed: $($child.Output) $($child.ErrorOutput)"
            $child.Result.id | Should -BeExactly 'AccessTokenRequired,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $child.Result.category | Should -BeExactly 'InvalidArgument'
            $child.Result.message | Should -Match 'Pass -AccessToken to Remove-CognitoDevice'
            $child.Result.message | Should -Not -Match 'Username|argument is null'
            $child.Result.action | Should -Match '-AccessToken'
            $child.Result.others | Should -BeLessOrEqual 1 -Because 'one error for the whole pipeline, not one per device'
            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            @(Get-LocalRequest -Operation 'ForgetDevice', 'AdminForgetDevice').Count | Should -Be 0
        }
    }

    Context 'Parameter validation' {
        It 'rejects a device key <Name> before sending anything' -TestCases @(
            @{ Name = 'with uppercase hexadecimal'; Key = 'eu-west-1_0A1B2C3D-4E5F-4789-ABCD-EF0123456789' }
            @{ Name = 'with a trailing newline'; Key = "eu-west-1_ab`n" }
            @{ Name = 'of 56 characters'; Key = 'eu-west-1_' + ('a' * 46) }
            @{ Name = 'without an underscore'; Key = 'eu-west-1-0a1b2c3d' }
        ) {
            param($Name, $Key)
            $user = New-TestUser -DeviceCount 1

            $err = { Remove-CognitoDevice -DeviceKey $Key -AccessToken $user.Token -EndpointUrl $url -Confirm:$false } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentValidationError,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidData'
            $err.Exception.ParameterName | Should -BeExactly 'DeviceKey'
            @(Get-LocalRequest).Count | Should -Be 0
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 1
        }

        It 'rejects a user pool ID that does not match the service pattern' {
            $user = New-TestUser -DeviceCount 1

            $err = {
                Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -UserPoolId 'eu-west-1-NoUnderscore' -Username $user.Username -ProfileName $profileName -EndpointUrl $url -Confirm:$false
            } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentValidationError,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidData'
            $err.Exception.ParameterName | Should -BeExactly 'UserPoolId'
            @(Get-LocalRequest).Count | Should -Be 0
        }

        It 'rejects a user name with a space' {
            $user = New-TestUser -DeviceCount 1

            $err = {
                Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -UserPoolId $user.PoolId -Username 'bad user' -ProfileName $profileName -EndpointUrl $url -Confirm:$false
            } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentValidationError,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidData'
            $err.Exception.ParameterName | Should -BeExactly 'Username'
            @(Get-LocalRequest).Count | Should -Be 0
        }

        It 'rejects an access token <Name> and never shows the token' -TestCases @(
            @{ Name = 'with a Bearer prefix'; Prefix = 'Bearer '; Suffix = ''; Problem = 'Bearer' }
            @{ Name = 'with a trailing newline'; Prefix = ''; Suffix = "`n"; Problem = 'white space' }
            @{ Name = 'in quotes'; Prefix = '"'; Suffix = '"'; Problem = 'quotes' }
        ) {
            param($Name, $Prefix, $Suffix, $Problem)
            $user = New-TestUser -DeviceCount 1
            $token = $user.Token
            $pasted = $Prefix + $token + $Suffix

            $err = $null
            $newest = $null
            try {
                Remove-CognitoDevice -AccessToken $pasted -DeviceKey $user.DeviceKeys[0] -EndpointUrl $url -Confirm:$false
            }
            catch {
                $err = $_
                $newest = $Error[0]
            }

            $err | Should -Not -BeNullOrEmpty
            $err.FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentValidationError,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidData'
            $err.Exception.ParameterName | Should -BeExactly 'AccessToken'
            $err.Exception.Message | Should -Match $Problem
            $err.Exception.Message.Contains($token) | Should -BeFalse
            $err.ToString().Contains($token) | Should -BeFalse
            ($err | Out-String -Width 4096).Contains($token) | Should -BeFalse
            # A caught error is still recorded in $Error.
            $newest.FullyQualifiedErrorId | Should -BeExactly $err.FullyQualifiedErrorId
            ($Error | Out-String -Width 4096).Contains($token) | Should -BeFalse
            if ($err.Exception.InnerException) {
                $err.Exception.InnerException.Message.Contains($token) | Should -BeFalse
            }
            @(Get-LocalRequest).Count | Should -Be 0
        }
    }

    Context 'ShouldProcess' {
        It '-WhatIf forgets nothing and sends no request' {
            $user = New-TestUser -DeviceCount 2

            $out = Remove-CognitoDevice -DeviceKey $user.DeviceKeys -AccessToken $user.Token -EndpointUrl $url -WhatIf

            $out | Should -BeNullOrEmpty
            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            @(Get-LocalRequest).Count | Should -Be 0
        }

        It '-WhatIf works with no region, endpoint or credentials configured at all' {
            $savedCredentials = $env:AWS_SHARED_CREDENTIALS_FILE
            try {
                $env:AWS_SHARED_CREDENTIALS_FILE = Join-Path ([System.IO.Path]::GetTempPath()) ('no-such-credentials-{0}' -f [guid]::NewGuid().ToString('N'))
                $ev = $null

                # A token whose issuer names no region and keys without a region prefix: nothing to resolve a region from.
                $tokenOut = Remove-CognitoDevice -DeviceKey 'local_0123abcd' -AccessToken 'notajwt' -WhatIf -ErrorVariable ev
                $adminOut = Remove-CognitoDevice -DeviceKey 'local_0123abcd' -UserPoolId 'local_Pool1' -Username 'someone' -WhatIf -ErrorVariable +ev

                $tokenOut | Should -BeNullOrEmpty
                $adminOut | Should -BeNullOrEmpty
                @($ev).Count | Should -Be 0
            }
            finally {
                $env:AWS_SHARED_CREDENTIALS_FILE = $savedCredentials
            }
        }

        It '-Confirm:$false forgets the device without asking' {
            $user = New-TestUser -DeviceCount 2

            Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[1]
        }

        It '-Force forgets without prompting even with $ConfirmPreference = Low' {
            # In a non-interactive child process: a prompt there is an error, where here it would wait for a person.
            $user = New-TestUser -DeviceCount 2
            $script = @'
Import-Module {{MANIFEST}}
$ConfirmPreference = 'Low'
$problem = $null
try {
    Remove-CognitoDevice -DeviceKey {{KEY}} -AccessToken $env:COGNITODEVICE_TEST_TOKEN -EndpointUrl {{URL}} -Force -ErrorAction Stop
}
catch {
    $problem = $_.FullyQualifiedErrorId + ': ' + $_.Exception.Message
}
Write-TestResult @{ problem = $problem }
'@
            $script = $script.Replace('{{MANIFEST}}', (ConvertTo-PSLiteral $manifest)).Replace('{{URL}}', (ConvertTo-PSLiteral $url)).Replace('{{KEY}}', (ConvertTo-PSLiteral $user.DeviceKeys[0]))

            $child = Invoke-ChildPowerShell -Script $script -Environment @{ COGNITODEVICE_TEST_TOKEN = $user.Token }

            $child.Result | Should -Not -BeNullOrEmpty -Because "the child printed: $($child.Output) $($child.ErrorOutput)"
            $child.Result.problem | Should -BeNullOrEmpty
            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[1]
        }

        It 'asks for confirmation with $ConfirmPreference = Low and no -Force (so the -Force test can fail)' {
            $user = New-TestUser -DeviceCount 1
            $script = @'
Import-Module {{MANIFEST}}
$ConfirmPreference = 'Low'
$problem = $null
try {
    Remove-CognitoDevice -DeviceKey {{KEY}} -AccessToken $env:COGNITODEVICE_TEST_TOKEN -EndpointUrl {{URL}} -ErrorAction Stop
}
catch {
    $problem = $_.FullyQualifiedErrorId + ': ' + $_.Exception.Message
}
Write-TestResult @{ problem = $problem }
'@
            $script = $script.Replace('{{MANIFEST}}', (ConvertTo-PSLiteral $manifest)).Replace('{{URL}}', (ConvertTo-PSLiteral $url)).Replace('{{KEY}}', (ConvertTo-PSLiteral $user.DeviceKeys[0]))

            $child = Invoke-ChildPowerShell -Script $script -Environment @{ COGNITODEVICE_TEST_TOKEN = $user.Token }

            $child.Result | Should -Not -BeNullOrEmpty -Because "the child printed: $($child.Output) $($child.ErrorOutput)"
            $child.Result.problem | Should -Not -BeNullOrEmpty -Because 'a non-interactive host cannot answer the confirmation prompt'
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 1
            @(Get-LocalRequest -Operation 'ForgetDevice').Count | Should -Be 0
        }

        It '-Force -WhatIf still forgets nothing and sends no request' {
            $user = New-TestUser -DeviceCount 2

            Remove-CognitoDevice -DeviceKey $user.DeviceKeys -AccessToken $user.Token -EndpointUrl $url -Force -WhatIf

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            @(Get-LocalRequest).Count | Should -Be 0
        }

        It '-Force forgets nothing under a $WhatIfPreference = $true inherited from the calling function' {
            $user = New-TestUser -DeviceCount 2
            function Invoke-Cleanup {
                param($Key)
                $WhatIfPreference = $true
                Remove-CognitoDevice -DeviceKey $Key -AccessToken $user.Token -EndpointUrl $url -Force
            }

            Invoke-Cleanup -Key $user.DeviceKeys[0]

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            @(Get-LocalRequest).Count | Should -Be 0
        }

        It '-Force forgets nothing when an advanced function that calls it is run with -WhatIf' {
            $user = New-TestUser -DeviceCount 2
            function Remove-StaleDevice {
                [CmdletBinding(SupportsShouldProcess = $true)]
                param($Key)
                Remove-CognitoDevice -DeviceKey $Key -AccessToken $user.Token -EndpointUrl $url -Force
            }

            Remove-StaleDevice -Key $user.DeviceKeys[0] -WhatIf

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            @(Get-LocalRequest).Count | Should -Be 0
        }
    }

    Context '-PassThru' {
        It 'writes a CognitoDevice.ForgottenDevice for each device forgotten with the token' {
            $user = New-TestUser -DeviceCount 2

            $out = @(Remove-CognitoDevice -DeviceKey $user.DeviceKeys -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -PassThru)

            $out.Count | Should -Be 2
            foreach ($item in $out) {
                $item.GetType().FullName | Should -BeExactly 'CognitoDevice.ForgottenDevice'
                $item.Region | Should -BeExactly $user.Region
                $item.UserPoolId | Should -BeNullOrEmpty
                $item.Username | Should -BeNullOrEmpty
            }
            $out | ForEach-Object { $_.DeviceKey } | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            ($out[0].PSObject.Properties | ForEach-Object { $_.Name }) | Format-KeySet | Should -BeExactly 'DeviceKey,Region,UserPoolId,Username'
            "$($out[0])" | Should -BeExactly $out[0].DeviceKey
        }

        It 'writes the user pool and user name for devices forgotten with -UserPoolId -Username' {
            $user = New-TestUser -DeviceCount 1

            $out = @(Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url -Confirm:$false -PassThru)

            $out.Count | Should -Be 1
            $out[0].GetType().FullName | Should -BeExactly 'CognitoDevice.ForgottenDevice'
            $out[0].DeviceKey | Should -BeExactly $user.DeviceKeys[0]
            $out[0].UserPoolId | Should -BeExactly $user.PoolId
            $out[0].Username | Should -BeExactly $user.Username
            $out[0].Region | Should -BeExactly $user.Region
        }

        It 'writes nothing without -PassThru' {
            $user = New-TestUser -DeviceCount 1

            $out = Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl $url -Confirm:$false

            $out | Should -BeNullOrEmpty
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
        }
    }

    Context 'Service errors (non-terminating)' {
        It 'reports a device that does not exist as ResourceNotFoundException, ObjectNotFound' {
            $user = New-TestUser -DeviceCount 1
            $missing = New-MissingDeviceKey -Region $user.Region
            $ev = $null

            $out = Remove-CognitoDevice -DeviceKey $missing -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -PassThru -ErrorVariable ev -ErrorAction SilentlyContinue

            $out | Should -BeNullOrEmpty
            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'ResourceNotFoundException,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $ev[0].CategoryInfo.Category.ToString() | Should -BeExactly 'ObjectNotFound'
            $ev[0].TargetObject | Should -BeExactly $missing
            $ev[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            $ev[0].Exception.GetType().FullName | Should -BeExactly 'CognitoDevice.ResourceNotFoundException'
        }

        It 'reports an expired access token as NotAuthorizedException, AuthenticationError' {
            $user = New-TestUser -DeviceCount 1
            $expired = New-LocalAccessToken -PoolId $user.PoolId -Username $user.Username -LifetimeSeconds -120
            $ev = $null

            Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $expired -EndpointUrl $url -Confirm:$false -ErrorVariable ev -ErrorAction SilentlyContinue

            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'NotAuthorizedException,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $ev[0].CategoryInfo.Category.ToString() | Should -BeExactly 'AuthenticationError'
            $ev[0].TargetObject | Should -BeExactly $user.DeviceKeys[0]
            $ev[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            $ev[0].Exception.GetType().FullName | Should -BeExactly 'CognitoDevice.NotAuthorizedException'
            ($ev[0] | ConvertTo-SearchableText).Contains($expired) | Should -BeFalse
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 1
        }

        It 'reports a revoked access token as NotAuthorizedException, AuthenticationError' {
            $user = New-TestUser -DeviceCount 1
            Revoke-LocalAccessToken -PoolId $user.PoolId -Username $user.Username
            $ev = $null

            Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -ErrorVariable ev -ErrorAction SilentlyContinue

            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'NotAuthorizedException,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $ev[0].CategoryInfo.Category.ToString() | Should -BeExactly 'AuthenticationError'
            $ev[0].TargetObject | Should -BeExactly $user.DeviceKeys[0]
            $ev[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 1
        }

        It 'reports an unknown user of an Admin call as UserNotFoundException, ObjectNotFound' {
            $user = New-TestUser -DeviceCount 1
            $ev = $null

            Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -UserPoolId $user.PoolId -Username 'nobody-here' -ProfileName $profileName -EndpointUrl $url -Confirm:$false -ErrorVariable ev -ErrorAction SilentlyContinue

            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'UserNotFoundException,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $ev[0].CategoryInfo.Category.ToString() | Should -BeExactly 'ObjectNotFound'
            $ev[0].TargetObject | Should -BeExactly $user.DeviceKeys[0]
            $ev[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            $ev[0].Exception.GetType().FullName | Should -BeExactly 'CognitoDevice.UserNotFoundException'
        }

        It 'reports a pool without device tracking as InvalidUserPoolConfigurationException, NotEnabled' {
            $pool = New-LocalPool -Region 'eu-west-1' -DeviceTrackingEnabled $false
            $null = New-LocalUser -PoolId $pool.poolId -Username 'carol'
            $token = New-LocalAccessToken -PoolId $pool.poolId -Username 'carol'
            $ev = $null

            Remove-CognitoDevice -DeviceKey (New-MissingDeviceKey) -AccessToken $token -EndpointUrl $url -Confirm:$false -ErrorVariable ev -ErrorAction SilentlyContinue

            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'InvalidUserPoolConfigurationException,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $ev[0].CategoryInfo.Category.ToString() | Should -BeExactly 'NotEnabled'
            $ev[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }

        It 'reports throttling that outlasts the retries as TooManyRequestsException, LimitsExceeded' {
            $user = New-TestUser -DeviceCount 1
            $key = $user.DeviceKeys[0]
            # The default standard retry mode makes 3 attempts: throttle all three.
            $null = Add-LocalFault -Kind Throttle -Count 3 -Operation 'ForgetDevice' -DeviceKey $key
            $ev = $null

            Remove-CognitoDevice -DeviceKey $key -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -ErrorVariable ev -ErrorAction SilentlyContinue

            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'TooManyRequestsException,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $ev[0].CategoryInfo.Category.ToString() | Should -BeExactly 'LimitsExceeded'
            $ev[0].TargetObject | Should -BeExactly $key
            $ev[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            $attempts = @(Get-LocalRequest -Operation 'ForgetDevice')
            $attempts.Count | Should -Be 3
            @($attempts | Where-Object { $_.fault -eq 'Throttle' }).Count | Should -Be 3
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 1
        }

        It 'goes on with the next key after a key that fails' {
            $user = New-TestUser -DeviceCount 3
            $missing = New-MissingDeviceKey -Region $user.Region
            $ev = $null

            $out = @($user.DeviceKeys[0], $missing, $user.DeviceKeys[1] |
                    Remove-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -PassThru -ErrorVariable ev -ErrorAction SilentlyContinue)

            $out.Count | Should -Be 2
            $out | ForEach-Object { $_.DeviceKey } | Format-KeySet | Should -BeExactly (@($user.DeviceKeys[0], $user.DeviceKeys[1]) | Format-KeySet)
            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'ResourceNotFoundException,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $ev[0].TargetObject | Should -BeExactly $missing
            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[2]
        }

        It 'goes on with the next key of -DeviceKey after a key that fails' {
            $user = New-TestUser -DeviceCount 2
            $missing = New-MissingDeviceKey -Region $user.Region
            $ev = $null

            Remove-CognitoDevice -DeviceKey $missing, $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -ErrorVariable ev -ErrorAction SilentlyContinue

            @($ev).Count | Should -Be 1
            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[1]
        }

        It '-ErrorAction Stop makes the first failure terminating' {
            $user = New-TestUser -DeviceCount 2
            $missing = New-MissingDeviceKey -Region $user.Region

            $err = {
                Remove-CognitoDevice -DeviceKey $missing, $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -ErrorAction Stop
            } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ResourceNotFoundException,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'ObjectNotFound'
            $err.TargetObject | Should -BeExactly $missing
            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            @(Get-LocalRequest -Operation 'ForgetDevice').Count | Should -Be 1
        }

        It 'can be caught by exception type with -ErrorAction Stop' {
            $user = New-TestUser -DeviceCount 1
            $missing = New-MissingDeviceKey -Region $user.Region
            $caughtAs = $null

            try {
                Remove-CognitoDevice -DeviceKey $missing -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -ErrorAction Stop
                $caughtAs = 'nothing thrown'
            }
            catch [CognitoDevice.ResourceNotFoundException] {
                $caughtAs = 'ResourceNotFoundException'
                $_.Exception.ErrorCode | Should -BeExactly 'ResourceNotFoundException'
                $_.Exception.Operation | Should -BeExactly 'ForgetDevice'
            }
            catch {
                $caughtAs = 'other: ' + $_.Exception.GetType().FullName
            }

            $caughtAs | Should -BeExactly 'ResourceNotFoundException'
        }

        It 'can be caught as the base type CognitoDevice.CognitoDeviceException' {
            $user = New-TestUser -DeviceCount 1
            $expired = New-LocalAccessToken -PoolId $user.PoolId -Username $user.Username -LifetimeSeconds -120
            $caughtAs = $null

            try {
                Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $expired -EndpointUrl $url -Confirm:$false -ErrorAction Stop
                $caughtAs = 'nothing thrown'
            }
            catch [CognitoDevice.CognitoDeviceException] {
                $caughtAs = $_.Exception.ErrorCode
            }
            catch {
                $caughtAs = 'other: ' + $_.Exception.GetType().FullName
            }

            $caughtAs | Should -BeExactly 'NotAuthorizedException'
        }
    }

    Context 'Configuration errors (terminating)' {
        It 'ends with RegionNotFound when no region can be found anywhere' {
            # A token with no issuer region, a key with no region prefix, no -Region, AWS_REGION or profile region.
            $err = {
                Remove-CognitoDevice -DeviceKey 'local_0123abcd', 'local_4567cdef' -AccessToken 'notajwt' -EndpointUrl $url -Confirm:$false -ErrorAction SilentlyContinue
            } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'RegionNotFound,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidArgument'
            $err.TargetObject | Should -BeExactly 'local_0123abcd'
            $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            $err.Exception.GetType().FullName | Should -BeExactly 'CognitoDevice.CognitoDeviceConfigurationException'
            @(Get-LocalRequest).Count | Should -Be 0
        }

        It 'ends with EndpointUrlInvalid for -EndpointUrl "not a url"' {
            $user = New-TestUser -DeviceCount 1

            $err = {
                Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl 'not a url' -Confirm:$false -ErrorAction SilentlyContinue
            } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'EndpointUrlInvalid,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidArgument'
            $err.TargetObject | Should -BeExactly $user.DeviceKeys[0]
            $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 1
        }

        It 'ends with InsecureEndpoint before sending a token over plain http to a host that is not loopback' {
            $user = New-TestUser -DeviceCount 1

            # .invalid never resolves: even a regression could not reach a real host.
            $err = {
                Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl 'http://cognito-idp.example.invalid' -Confirm:$false -ErrorAction SilentlyContinue
            } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'InsecureEndpoint,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'SecurityError'
            $err.TargetObject | Should -BeExactly $user.DeviceKeys[0]
            $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            ($err | ConvertTo-SearchableText).Contains($user.Token) | Should -BeFalse
        }

        It 'ends with ProfileNotFound for an Admin call with -ProfileName of a profile that does not exist' {
            $user = New-TestUser -DeviceCount 1

            $err = {
                Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -UserPoolId $user.PoolId -Username $user.Username -ProfileName 'nosuch' -EndpointUrl $url -Confirm:$false -ErrorAction SilentlyContinue
            } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ProfileNotFound,CognitoDevice.Commands.RemoveCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'AuthenticationError'
            $err.TargetObject | Should -BeExactly $user.DeviceKeys[0]
            $err.ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            @(Get-LocalRequest).Count | Should -Be 0
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 1
        }
    }

    Context '-Verbose' {
        It 'says the region came from the access token' {
            $user = New-TestUser -DeviceCount 1

            $records = Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -Verbose 4>&1
            $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message }) -join "`n"

            $verbose | Should -Match ([regex]::Escape($user.Region + ' (from the access token'))
        }

        It 'says the region came from -Region' {
            $user = New-TestUser -DeviceCount 1

            $records = Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $user.Token -Region $user.Region -EndpointUrl $url -Confirm:$false -Verbose 4>&1
            $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message }) -join "`n"

            $verbose | Should -Match ([regex]::Escape($user.Region + ' (from -Region)'))
        }

        It 'says the region came from the user pool ID' {
            $user = New-TestUser -DeviceCount 1

            $records = Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url -Confirm:$false -Verbose 4>&1
            $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message }) -join "`n"

            $verbose | Should -Match ([regex]::Escape($user.Region + ' (from the user pool ID'))
        }

        It 'announces a retry after a throttled attempt and then forgets the device' {
            $user = New-TestUser -DeviceCount 1
            $null = Add-LocalFault -Kind Throttle -Count 1 -Operation 'ForgetDevice'

            $records = Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl $url -Confirm:$false -Verbose 4>&1
            $verbose = @($records | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] } | ForEach-Object { $_.Message })

            @($verbose | Where-Object { $_ -match 'TooManyRequestsException' -and $_ -match 'retry' }).Count | Should -Be 1
            @(Get-LocalRequest -Operation 'ForgetDevice').Count | Should -Be 2
            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
        }
    }

    Context 'Admin set end to end' {
        It 'forgets a device with AdminForgetDevice signed by the profile cognito-local' {
            $user = New-TestUser -DeviceCount 2

            Remove-CognitoDevice -UserPoolId $user.PoolId -Username $user.Username -DeviceKey $user.DeviceKeys[0] -ProfileName $profileName -EndpointUrl $url -Confirm:$false

            Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username | Format-KeySet | Should -BeExactly $user.DeviceKeys[1]
            $requests = @(Get-LocalRequest -Operation 'AdminForgetDevice')
            $requests.Count | Should -Be 1
            $requests[0].statusCode | Should -Be 200
            $requests[0].headers.Authorization | Should -BeLike ('AWS4-HMAC-SHA256 Credential=AKIDLOCALCOGNITO/*/{0}/cognito-idp/aws4_request*' -f $user.Region)
            $body = $requests[0].body | ConvertFrom-Json
            $body.UserPoolId | Should -BeExactly $user.PoolId
            $body.Username | Should -BeExactly $user.Username
            $body.DeviceKey | Should -BeExactly $user.DeviceKeys[0]
        }
    }

    Context 'The access token stays secret' {
        It 'never appears in the output, verbose, warning, error or information streams' {
            $user = New-TestUser -DeviceCount 2
            $token = $user.Token
            $missing = New-MissingDeviceKey -Region $user.Region
            $null = Add-LocalFault -Kind Throttle -Count 1 -Operation 'ForgetDevice' -DeviceKey $user.DeviceKeys[1]

            $all = Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0], $missing, $user.DeviceKeys[1] -AccessToken $token -EndpointUrl $url -Confirm:$false -PassThru `
                -Verbose -WarningAction Continue -InformationAction Continue -ErrorAction Continue *>&1
            $text = $all | ConvertTo-SearchableText

            # The capture did see each kind of record, so the check below means something.
            @($all | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }).Count | Should -Be 1
            @($all | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] }).Count | Should -BeGreaterThan 0
            @($all | Where-Object { $_ -is [CognitoDevice.ForgottenDevice] }).Count | Should -Be 2
            $text | Should -Match 'ResourceNotFoundException'
            $text | Should -Match 'TooManyRequestsException'

            $text.Contains($token) | Should -BeFalse
        }

        It 'never appears in the error of a rejected (expired) token' {
            $user = New-TestUser -DeviceCount 1
            $expired = New-LocalAccessToken -PoolId $user.PoolId -Username $user.Username -LifetimeSeconds -120

            $all = Remove-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $expired -EndpointUrl $url -Confirm:$false -Verbose -ErrorAction Continue *>&1
            $text = $all | ConvertTo-SearchableText

            $text | Should -Match 'NotAuthorizedException'
            $text.Contains($expired) | Should -BeFalse
        }
    }
}
