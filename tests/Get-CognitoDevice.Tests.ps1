#Requires -Version 5.1
<#
    Get-CognitoDevice, black-box: the built module (output/CognitoDevice/<version>/) against the local Cognito
    endpoint (tests/CognitoDevice.LocalEndpoint), started once for this file. Every It sets up its own pool, user,
    devices and token after a reset of the endpoint, so no It depends on another.
#>

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $url = (Start-LocalCognito).Url
    Import-Module (Get-CognitoDeviceManifestPath) -Force
    $profileName = 'cognito-local'

    function Get-RequestBody {
        # The JSON body of a logged request as an object (access tokens are already redacted by the endpoint).
        param([Parameter(Mandatory = $true)]$Request)
        return ($Request.body | ConvertFrom-Json)
    }

    function Test-HasProperty {
        param([Parameter(Mandatory = $true)]$InputObject, [Parameter(Mandatory = $true)][string]$Name)
        return [bool](@($InputObject.PSObject.Properties | Where-Object { $_.Name -ceq $Name }).Count)
    }
}

AfterAll {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}

Describe 'Get-CognitoDevice' {
    BeforeEach {
        Reset-LocalCognito
    }

    Context 'Listing every device' {
        It 'returns each of 61 devices exactly once, over several ListDevices pages' {
            $user = New-TestUser -DeviceCount 61

            $devices = @(Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url)

            $devices.Count | Should -Be 61
            @($devices | ForEach-Object { $_.DeviceKey } | Sort-Object -Unique -CaseSensitive).Count | Should -Be 61
            $devices | ForEach-Object { $_.DeviceKey } | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)

            $calls = @(Get-LocalRequest -Operation 'ListDevices')
            $calls.Count | Should -BeGreaterThan 1
            Test-HasProperty -InputObject (Get-RequestBody $calls[0]) -Name 'PaginationToken' | Should -BeFalse
            foreach ($call in ($calls | Select-Object -Skip 1)) {
                Test-HasProperty -InputObject (Get-RequestBody $call) -Name 'PaginationToken' | Should -BeTrue
            }
        }

        It 'returns each of 61 devices exactly once with -UserPoolId -Username (AdminListDevices)' {
            $user = New-TestUser -DeviceCount 61

            $devices = @(Get-CognitoDevice -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url)

            $devices.Count | Should -Be 61
            $devices | ForEach-Object { $_.DeviceKey } | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            @(Get-LocalRequest -Operation 'AdminListDevices').Count | Should -BeGreaterThan 1
            @(Get-LocalRequest -Operation 'ListDevices').Count | Should -Be 0
        }

        It 'returns nothing and no error for a user without devices' {
            $user = New-TestUser -DeviceCount 0
            $ev = $null

            $devices = @(Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -ErrorVariable ev)

            $devices.Count | Should -Be 0
            @($ev).Count | Should -Be 0
            @(Get-LocalRequest -Operation 'ListDevices').Count | Should -Be 1
        }

        It 'stops paging when Select-Object -First 1 has its device' {
            $user = New-TestUser -DeviceCount 61

            $first = @(Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url | Select-Object -First 1)

            $first.Count | Should -Be 1
            $user.DeviceKeys | Should -Contain $first[0].DeviceKey
            @(Get-LocalRequest -Operation 'ListDevices').Count | Should -Be 1
        }

        It 'asks for -PageSize devices per page' {
            $user = New-TestUser -DeviceCount 61

            $devices = @(Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -PageSize 25)

            $devices.Count | Should -Be 61
            $calls = @(Get-LocalRequest -Operation 'ListDevices')
            $calls.Count | Should -Be 3
            foreach ($call in $calls) {
                (Get-RequestBody $call).Limit | Should -Be 25
            }
        }

        It 'rejects -PageSize <PageSize>' -TestCases @(
            @{ PageSize = 0 }
            @{ PageSize = 61 }
        ) {
            param($PageSize)
            $user = New-TestUser -DeviceCount 1

            $err = { Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -PageSize $PageSize } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentValidationError,CognitoDevice.Commands.GetCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidData'
            $err.Exception.ParameterName | Should -BeExactly 'PageSize'
            @(Get-LocalRequest).Count | Should -Be 0
        }

        It 'retries a throttled page and still returns every device once' {
            $user = New-TestUser -DeviceCount 61
            $null = Add-LocalFault -Kind Throttle -Count 1 -Operation 'ListDevices'
            $ev = $null

            $devices = @(Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url -PageSize 30 -ErrorVariable ev)

            @($ev).Count | Should -Be 0
            $devices.Count | Should -Be 61
            $devices | ForEach-Object { $_.DeviceKey } | Format-KeySet | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
            # 3 pages of at most 30, and one throttled attempt retried.
            @(Get-LocalRequest -Operation 'ListDevices').Count | Should -Be 4
        }

        It 'reports an expired token once as NotAuthorizedException, AuthenticationError, and returns nothing' {
            $user = New-TestUser -DeviceCount 5
            $expired = New-LocalAccessToken -PoolId $user.PoolId -Username $user.Username -LifetimeSeconds -120
            $ev = $null

            $devices = @(Get-CognitoDevice -AccessToken $expired -EndpointUrl $url -ErrorVariable ev -ErrorAction SilentlyContinue)

            $devices.Count | Should -Be 0
            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'NotAuthorizedException,CognitoDevice.Commands.GetCognitoDeviceCommand'
            $ev[0].CategoryInfo.Category.ToString() | Should -BeExactly 'AuthenticationError'
            $ev[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
            ($ev[0] | ConvertTo-SearchableText).Contains($expired) | Should -BeFalse
        }

        It 'reports an unknown user of AdminListDevices as UserNotFoundException, ObjectNotFound, naming pool and user' {
            $user = New-TestUser -DeviceCount 1
            $ev = $null

            $devices = @(Get-CognitoDevice -UserPoolId $user.PoolId -Username 'nobody-here' -ProfileName $profileName -EndpointUrl $url -ErrorVariable ev -ErrorAction SilentlyContinue)

            $devices.Count | Should -Be 0
            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'UserNotFoundException,CognitoDevice.Commands.GetCognitoDeviceCommand'
            $ev[0].CategoryInfo.Category.ToString() | Should -BeExactly 'ObjectNotFound'
            $ev[0].TargetObject | Should -BeExactly ($user.PoolId + '/nobody-here')
        }
    }

    Context 'Getting devices by key' {
        It 'gets one device with GetDevice and does not list' {
            $user = New-TestUser -DeviceCount 3

            $devices = @(Get-CognitoDevice -DeviceKey $user.DeviceKeys[1] -AccessToken $user.Token -EndpointUrl $url)

            $devices.Count | Should -Be 1
            $devices[0].DeviceKey | Should -BeExactly $user.DeviceKeys[1]
            @(Get-LocalRequest -Operation 'GetDevice').Count | Should -Be 1
            @(Get-LocalRequest -Operation 'ListDevices').Count | Should -Be 0
        }

        It 'gets several devices named positionally, in the order given' {
            $user = New-TestUser -DeviceCount 3

            $devices = @(Get-CognitoDevice $user.DeviceKeys[2], $user.DeviceKeys[0] -AccessToken $user.Token -EndpointUrl $url)

            $devices.Count | Should -Be 2
            $devices[0].DeviceKey | Should -BeExactly $user.DeviceKeys[2]
            $devices[1].DeviceKey | Should -BeExactly $user.DeviceKeys[0]
        }

        It 'gets devices whose keys are piped as strings' {
            $user = New-TestUser -DeviceCount 3

            $devices = @($user.DeviceKeys[0], $user.DeviceKeys[1] | Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url)

            $devices | ForEach-Object { $_.DeviceKey } | Format-KeySet | Should -BeExactly (@($user.DeviceKeys[0], $user.DeviceKeys[1]) | Format-KeySet)
        }

        It 'gets a device with AdminGetDevice' {
            $user = New-TestUser -DeviceCount 2

            $devices = @(Get-CognitoDevice -DeviceKey $user.DeviceKeys[0] -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url)

            $devices.Count | Should -Be 1
            $devices[0].DeviceKey | Should -BeExactly $user.DeviceKeys[0]
            @(Get-LocalRequest -Operation 'AdminGetDevice').Count | Should -Be 1
        }

        It 'writes one ObjectNotFound error for a missing key and goes on with the next key' {
            $user = New-TestUser -DeviceCount 2
            $missing = New-MissingDeviceKey -Region $user.Region
            $ev = $null

            $devices = @(Get-CognitoDevice -DeviceKey $missing, $user.DeviceKeys[1] -AccessToken $user.Token -EndpointUrl $url -ErrorVariable ev -ErrorAction SilentlyContinue)

            $devices.Count | Should -Be 1
            $devices[0].DeviceKey | Should -BeExactly $user.DeviceKeys[1]
            @($ev).Count | Should -Be 1
            $ev[0].FullyQualifiedErrorId | Should -BeExactly 'ResourceNotFoundException,CognitoDevice.Commands.GetCognitoDeviceCommand'
            $ev[0].CategoryInfo.Category.ToString() | Should -BeExactly 'ObjectNotFound'
            $ev[0].TargetObject | Should -BeExactly $missing
            $ev[0].ErrorDetails.RecommendedAction | Should -Not -BeNullOrEmpty
        }

        It 'rejects a device key with uppercase hexadecimal' {
            $user = New-TestUser -DeviceCount 1

            $err = { Get-CognitoDevice -DeviceKey ($user.DeviceKeys[0].ToUpperInvariant()) -AccessToken $user.Token -EndpointUrl $url } | Should -Throw -PassThru

            $err.FullyQualifiedErrorId | Should -BeExactly 'ParameterArgumentValidationError,CognitoDevice.Commands.GetCognitoDeviceCommand'
            $err.CategoryInfo.Category.ToString() | Should -BeExactly 'InvalidData'
            @(Get-LocalRequest).Count | Should -Be 0
        }
    }

    Context 'Output objects' {
        It 'writes CognitoDevice.Device objects with the device attributes' {
            $user = New-TestUser -DeviceCount 0
            $key = @(Add-LocalDevice -PoolId $user.PoolId -Username $user.Username -Name 'Work laptop' -LastIp '192.0.2.10' -Remembered $true)[0]

            $device = Get-CognitoDevice -DeviceKey $key -AccessToken $user.Token -EndpointUrl $url

            $device.GetType().FullName | Should -BeExactly 'CognitoDevice.Device'
            $device.PSObject.TypeNames[0] | Should -BeExactly 'CognitoDevice.Device'
            $device.DeviceKey | Should -BeExactly $key
            $device.DeviceName | Should -BeExactly 'Work laptop'
            $device.Status | Should -BeExactly 'valid'
            $device.RememberedStatus | Should -BeExactly 'remembered'
            $device.LastIpUsed | Should -BeExactly '192.0.2.10'
            $device.Attributes['device_name'] | Should -BeExactly 'Work laptop'
            $device.Attributes['dev:device_remembered_status'] | Should -BeExactly 'remembered'
            "$device" | Should -BeExactly $key
        }

        It 'gives the dates as UTC DateTime values' {
            $user = New-TestUser -DeviceCount 0
            $key = @(Add-LocalDevice -PoolId $user.PoolId -Username $user.Username -Name 'Fresh')[0]

            $device = Get-CognitoDevice -DeviceKey $key -AccessToken $user.Token -EndpointUrl $url

            foreach ($name in 'CreateDate', 'LastModifiedDate', 'LastAuthenticatedDate') {
                $value = $device.$name
                $value | Should -BeOfType ([datetime])
                $value.Kind | Should -Be ([System.DateTimeKind]::Utc)
                # Created just now by the endpoint: a local time labelled UTC would be hours off (outside UTC zones).
                [Math]::Abs(([DateTime]::UtcNow - $value).TotalMinutes) | Should -BeLessThan 10
            }
        }

        It 'says not_remembered for a device that is not remembered' {
            $user = New-TestUser -DeviceCount 0
            $key = @(Add-LocalDevice -PoolId $user.PoolId -Username $user.Username -Name 'Kiosk' -Remembered $false)[0]

            $device = Get-CognitoDevice -DeviceKey $key -AccessToken $user.Token -EndpointUrl $url

            $device.RememberedStatus | Should -BeExactly 'not_remembered'
        }

        It 'names the region but no pool or user for devices read with the access token' {
            $user = New-TestUser -DeviceCount 2

            $devices = @(Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url)

            foreach ($device in $devices) {
                $device.GetType().FullName | Should -BeExactly 'CognitoDevice.Device'
                $device.Region | Should -BeExactly $user.Region
                $device.UserPoolId | Should -BeNullOrEmpty
                $device.Username | Should -BeNullOrEmpty
            }
        }

        It 'names the region, pool and user for devices read with -UserPoolId -Username' {
            $user = New-TestUser -DeviceCount 2

            $devices = @(Get-CognitoDevice -UserPoolId $user.PoolId -Username $user.Username -ProfileName $profileName -EndpointUrl $url)

            $devices.Count | Should -Be 2
            foreach ($device in $devices) {
                $device.Region | Should -BeExactly $user.Region
                $device.UserPoolId | Should -BeExactly $user.PoolId
                $device.Username | Should -BeExactly $user.Username
            }
        }

        It 'carries no access token in any property' {
            $user = New-TestUser -DeviceCount 3
            $token = $user.Token

            $devices = @(Get-CognitoDevice -AccessToken $token -EndpointUrl $url)
            $devices += @(Get-CognitoDevice -DeviceKey $user.DeviceKeys[0] -AccessToken $token -EndpointUrl $url)

            foreach ($device in $devices) {
                @($device.PSObject.Properties | Where-Object { $_.Name -match 'token' }).Count | Should -Be 0
                foreach ($property in $device.PSObject.Properties) {
                    ([string]$property.Value).Contains($token) | Should -BeFalse
                }
                ($device | ConvertTo-SearchableText).Contains($token) | Should -BeFalse
                (ConvertTo-Json -InputObject $device -Depth 4).Contains($token) | Should -BeFalse
            }
        }
    }

    Context 'Default view' {
        It 'shows the columns DeviceName, DeviceKey, RememberedStatus, LastAuthenticated and LastIpUsed' {
            $user = New-TestUser -DeviceCount 0
            $null = Add-LocalDevice -PoolId $user.PoolId -Username $user.Username -Name 'Work laptop' -LastIp '192.0.2.10'

            $text = Remove-AnsiEscape -Text (Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url | Format-Table | Out-String -Width 300)
            $lines = @($text -split "`r?`n" | Where-Object { $_.Trim() -ne '' })
            $header = $lines[0]

            $header | Should -Match '^\s*DeviceName\s+DeviceKey\s+RememberedStatus\s+LastAuthenticated[^\r\n]*\s+LastIpUsed\s*$'
            $header | Should -Not -Match 'Attributes|CreateDate|LastModified|UserPoolId|Region'
            $row = @($lines | Where-Object { $_ -match 'Work laptop' })
            $row.Count | Should -Be 1
            $row[0] | Should -Match '192\.0\.2\.10'
            $row[0] | Should -Match '\d{4}-\d{2}-\d{2}'
        }

        It 'is the view Format-Table uses by default (no other properties shown)' {
            $user = New-TestUser -DeviceCount 2

            $text = Remove-AnsiEscape -Text (Get-CognitoDevice -AccessToken $user.Token -EndpointUrl $url | Out-String -Width 300)

            $text | Should -Match 'DeviceName\s+DeviceKey\s+RememberedStatus'
            $text | Should -Not -Match 'Attributes'
        }
    }

    Context 'Pipelines from the README' {
        It 'forgets only the devices not used for 90 days: Get-CognitoDevice -UserPoolId -Username | Where-Object LastAuthenticatedDate -lt (90 days ago, UTC) | Remove-CognitoDevice -Confirm:$false' {
            # Seeded devices were last used at times spread over the last 400 days; two more are new (used now).
            $user = New-TestUser -DeviceCount 30 -Seed 7
            $new = @(
                Add-LocalDevice -PoolId $user.PoolId -Username $user.Username -Name 'New phone'
                Add-LocalDevice -PoolId $user.PoolId -Username $user.Username -Name 'New laptop'
            )
            # As in the README: the dates are UTC, so the cut-off is taken in UTC too (taken once, so the expectation and the pipeline agree).
            $cutoff = (Get-Date).ToUniversalTime().AddDays(-90)

            $savedProfile = $env:AWS_PROFILE
            $savedEndpoint = $env:AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER
            try {
                # As a user would run it: credentials from AWS_PROFILE, the endpoint from the environment.
                $env:AWS_PROFILE = $profileName
                $env:AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = $url

                $before = @(Get-CognitoDevice -UserPoolId $user.PoolId -Username $user.Username)
                $stale = @($before | Where-Object LastAuthenticatedDate -lt $cutoff)
                $recent = @($before | Where-Object LastAuthenticatedDate -ge $cutoff)
                $stale.Count | Should -BeGreaterThan 0 -Because 'the seed gives devices older than 90 days'
                $recent.Count | Should -BeGreaterThan 2 -Because 'the seed gives recent devices as well as the two new ones'
                Clear-LocalRequest

                Get-CognitoDevice -UserPoolId $user.PoolId -Username $user.Username |
                    Where-Object LastAuthenticatedDate -lt $cutoff |
                    Remove-CognitoDevice -Confirm:$false
            }
            finally {
                $env:AWS_PROFILE = $savedProfile
                $env:AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = $savedEndpoint
            }

            $remaining = @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username)
            $remaining | Format-KeySet | Should -BeExactly ($recent | ForEach-Object { $_.DeviceKey } | Format-KeySet)
            foreach ($key in $new) { $remaining | Should -Contain $key }
            @(Get-LocalRequest -Operation 'AdminForgetDevice').Count | Should -Be $stale.Count
        }

        It 'forgets every device: Get-CognitoDevice -AccessToken $t | Remove-CognitoDevice -AccessToken $t' {
            $user = New-TestUser -DeviceCount 15
            $t = $user.Token

            $savedEndpoint = $env:AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER
            try {
                $env:AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = $url

                Get-CognitoDevice -AccessToken $t | Remove-CognitoDevice -AccessToken $t -Confirm:$false
            }
            finally {
                $env:AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER = $savedEndpoint
            }

            @(Get-LocalDeviceKey -PoolId $user.PoolId -Username $user.Username).Count | Should -Be 0
            @(Get-LocalRequest -Operation 'ForgetDevice').Count | Should -Be 15
        }
    }
}
