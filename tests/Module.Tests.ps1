#Requires -Version 5.1
<#
    The CognitoDevice module as a whole: the manifest, what it exports, importing it in a fresh runspace and in fresh
    processes of each PowerShell edition installed here, which assemblies each parameter set loads, and Remove-Module.
    Child processes run -NoProfile -NonInteractive and inherit the isolated AWS environment of this file.
#>

# Discovery-time data (plain top-level code rather than BeforeDiscovery, which needs Pester 5.1): the PowerShell
# executables to test in. Always the edition running the tests; on Windows also the other one when it is installed.
Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
$hosts = @(Get-TestPowerShellHost)

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $url = (Start-LocalCognito).Url
    $manifest = Get-CognitoDeviceManifestPath
    $moduleBase = Get-CognitoDeviceModuleBase
    $version = Get-CognitoDeviceModuleVersion
    $expectedCmdlets = 'Get-CognitoDevice,Remove-CognitoDevice,Set-CognitoDevice'
    Import-Module $manifest -Force
}

AfterAll {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}

Describe 'CognitoDevice module' {
    BeforeEach {
        Reset-LocalCognito
    }

    Context 'Manifest' {
        It 'passes Test-ModuleManifest' {
            $info = Test-ModuleManifest -Path $manifest -ErrorAction Stop

            $info.Name | Should -BeExactly 'CognitoDevice'
            $info.Version.ToString() | Should -BeExactly $version
            $info.RootModule | Should -BeExactly 'CognitoDevice.psm1'
            $info.ExportedCmdlets.Keys | Format-KeySet | Should -BeExactly $expectedCmdlets
        }

        It 'is laid out in a folder named after its version, with an assembly of that version' {
            Split-Path -Leaf $moduleBase | Should -BeExactly $version
            $assemblyVersion = [System.Reflection.AssemblyName]::GetAssemblyName((Join-Path $moduleBase 'CognitoDevice.dll')).Version
            $assemblyVersion.ToString() | Should -BeExactly ($version + '.0')
            Test-Path -LiteralPath (Join-Path $moduleBase 'CognitoDevice.format.ps1xml') | Should -BeTrue
            Test-Path -LiteralPath (Join-Path $moduleBase 'AWSSDK.Core.dll') | Should -BeTrue
        }

        It 'declares Windows PowerShell 5.1 and PowerShell 7 (Desktop and Core)' {
            $data = Import-PowerShellDataFile -Path $manifest

            $data.PowerShellVersion | Should -BeExactly '5.1'
            $data.CompatiblePSEditions | Format-KeySet | Should -BeExactly 'Core,Desktop'
            @($data.FunctionsToExport).Count | Should -Be 0
            @($data.AliasesToExport).Count | Should -Be 0
            @($data.VariablesToExport).Count | Should -Be 0
        }
    }

    Context 'Imported in this session' {
        It 'exports exactly the three cmdlets and nothing else' {
            $module = Get-Module -Name CognitoDevice

            @($module).Count | Should -Be 1
            $module.Version.ToString() | Should -BeExactly $version
            $module.ExportedCmdlets.Keys | Format-KeySet | Should -BeExactly $expectedCmdlets
            $module.ExportedFunctions.Count | Should -Be 0
            $module.ExportedAliases.Count | Should -Be 0
            $module.ExportedVariables.Count | Should -Be 0
            $commands = @(Get-Command -Module CognitoDevice)
            $commands | ForEach-Object { $_.Name } | Format-KeySet | Should -BeExactly $expectedCmdlets
            @($commands | Where-Object { $_.CommandType -ne 'Cmdlet' }).Count | Should -Be 0
        }

        It 'has the access-token set as default and Admin sets on <Name>' -TestCases @(
            @{ Name = 'Get-CognitoDevice'; Sets = 'AccessToken,AccessTokenDeviceKey,Admin,AdminDeviceKey,AdminPool' }
            @{ Name = 'Remove-CognitoDevice'; Sets = 'AccessToken,Admin' }
            @{ Name = 'Set-CognitoDevice'; Sets = 'AccessToken,Admin' }
        ) {
            param($Name, $Sets)
            $command = Get-Command -Name $Name

            $command.DefaultParameterSet | Should -BeExactly 'AccessToken'
            $command.ParameterSets | ForEach-Object { $_.Name } | Format-KeySet | Should -BeExactly $Sets
        }

        It 'supports -WhatIf and -Confirm on Remove- and Set-CognitoDevice only' {
            (Get-Command Remove-CognitoDevice).Parameters.ContainsKey('WhatIf') | Should -BeTrue
            (Get-Command Set-CognitoDevice).Parameters.ContainsKey('Confirm') | Should -BeTrue
            (Get-Command Get-CognitoDevice).Parameters.ContainsKey('WhatIf') | Should -BeFalse
        }

        It 'loads the format data of CognitoDevice.Device' {
            Get-FormatData -TypeName 'CognitoDevice.Device' | Should -Not -BeNullOrEmpty
        }

        It 'imports in a fresh runspace of this process' {
            $ps = [powershell]::Create()
            try {
                $null = $ps.AddScript('param($Path) Import-Module -Name $Path -ErrorAction Stop; Get-Command -Module CognitoDevice | ForEach-Object { $_.Name }').AddArgument($manifest)
                $names = @($ps.Invoke())

                $ps.Streams.Error.Count | Should -Be 0
                $names | ForEach-Object { [string]$_ } | Format-KeySet | Should -BeExactly $expectedCmdlets
            }
            finally {
                $ps.Dispose()
            }
        }
    }

    Context 'In a fresh process' {
        It 'imports the manifest in a fresh <Name> process and exports exactly the three cmdlets' -TestCases $hosts {
            param($Name, $Edition, $Path)
            $script = Resolve-ChildScript -Script @'
Import-Module {{MANIFEST}}
$module = Get-Module -Name CognitoDevice
Write-TestResult @{
    version  = $module.Version.ToString()
    edition  = $PSVersionTable.PSEdition
    commands = @(Get-Command -Module CognitoDevice | ForEach-Object { $_.Name + ':' + $_.CommandType })
}
'@

            $child = Invoke-ChildPowerShell -Script $script -Executable $Path

            $child.ExitCode | Should -Be 0 -Because "the child printed: $($child.Output) $($child.ErrorOutput)"
            $child.Result.version | Should -BeExactly $version
            $child.Result.edition | Should -BeExactly $Edition
            @($child.Result.commands) | Format-KeySet | Should -BeExactly 'Get-CognitoDevice:Cmdlet,Remove-CognitoDevice:Cmdlet,Set-CognitoDevice:Cmdlet'
        }

        It 'imports the module folder output/CognitoDevice (its version sub-folder) in a fresh <Name> process' -TestCases $hosts {
            param($Name, $Edition, $Path)
            $folder = Split-Path -Parent $moduleBase
            $script = Resolve-ChildScript -Values @{ FOLDER = $folder } -Script @'
Import-Module {{FOLDER}}
$module = Get-Module -Name CognitoDevice
Write-TestResult @{
    version  = $module.Version.ToString()
    base     = $module.ModuleBase
    commands = @(Get-Command -Module CognitoDevice | ForEach-Object { $_.Name })
}
'@

            $child = Invoke-ChildPowerShell -Script $script -Executable $Path

            $child.ExitCode | Should -Be 0 -Because "the child printed: $($child.Output) $($child.ErrorOutput)"
            $child.Result.version | Should -BeExactly $version
            ConvertTo-NormalPath $child.Result.base | Should -Be (ConvertTo-NormalPath $moduleBase)
            @($child.Result.commands) | Format-KeySet | Should -BeExactly $expectedCmdlets
        }

        It 'does not load AWSSDK.Core for the access-token cmdlets in <Name>' -TestCases $hosts {
            param($Name, $Edition, $Path)
            $user = New-TestUser -DeviceCount 3
            $script = Resolve-ChildScript -Values @{ KEY = $user.DeviceKeys[0] } -Script @'
function Get-AwsSdkCount { @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AWSSDK.Core' }).Count }
Import-Module {{MANIFEST}}
$afterImport = Get-AwsSdkCount
$forgotten = @(Remove-CognitoDevice -DeviceKey {{KEY}} -AccessToken $env:COGNITODEVICE_TEST_TOKEN -EndpointUrl {{URL}} -Confirm:$false -PassThru)
$listed = @(Get-CognitoDevice -AccessToken $env:COGNITODEVICE_TEST_TOKEN -EndpointUrl {{URL}})
Write-TestResult @{
    afterImport = $afterImport
    afterCalls  = Get-AwsSdkCount
    forgotten   = $forgotten.Count
    listed      = $listed.Count
    cognito     = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'CognitoDevice' }).Count
}
'@

            $child = Invoke-ChildPowerShell -Script $script -Executable $Path -Environment @{ COGNITODEVICE_TEST_TOKEN = $user.Token }

            $child.ExitCode | Should -Be 0 -Because "the child printed: $($child.Output) $($child.ErrorOutput)"
            $child.Result.forgotten | Should -Be 1
            $child.Result.listed | Should -Be 2
            $child.Result.cognito | Should -Be 1
            $child.Result.afterImport | Should -Be 0
            $child.Result.afterCalls | Should -Be 0
        }

        It 'loads AWSSDK.Core from the module folder for the Admin cmdlets in <Name>' -TestCases $hosts {
            param($Name, $Edition, $Path)
            $user = New-TestUser -DeviceCount 2
            $script = Resolve-ChildScript -Values @{ POOL = $user.PoolId; USER = $user.Username } -Script @'
Import-Module {{MANIFEST}}
$listed = @(Get-CognitoDevice -UserPoolId {{POOL}} -Username {{USER}} -ProfileName cognito-local -EndpointUrl {{URL}})
Write-TestResult @{
    listed    = $listed.Count
    locations = @([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { $_.GetName().Name -eq 'AWSSDK.Core' } | ForEach-Object { $_.Location })
}
'@

            $child = Invoke-ChildPowerShell -Script $script -Executable $Path

            $child.ExitCode | Should -Be 0 -Because "the child printed: $($child.Output) $($child.ErrorOutput)"
            $child.Result.listed | Should -Be 2
            $locations = @($child.Result.locations)
            $locations.Count | Should -Be 1
            ConvertTo-NormalPath ([System.IO.Path]::GetDirectoryName([string]$locations[0])) | Should -Be (ConvertTo-NormalPath $moduleBase)
        }

        It 'removes the cmdlets with Remove-Module and imports again in <Name>' -TestCases $hosts {
            param($Name, $Edition, $Path)
            $user = New-TestUser -DeviceCount 2
            $script = Resolve-ChildScript -Script @'
Import-Module Microsoft.PowerShell.Utility # Write-TestResult needs ConvertTo-Json once auto-loading is off
$PSModuleAutoLoadingPreference = 'None'
Import-Module {{MANIFEST}}
$imported = @(Get-Command -Module CognitoDevice).Count
Remove-Module -Name CognitoDevice
$modulesAfterRemove = @(Get-Module -Name CognitoDevice).Count
$commandsAfterRemove = @(Get-Command -Name Get-CognitoDevice, Remove-CognitoDevice, Set-CognitoDevice -ErrorAction SilentlyContinue).Count
Import-Module {{MANIFEST}}
$reimported = @(Get-Command -Module CognitoDevice).Count
$listed = @(Get-CognitoDevice -AccessToken $env:COGNITODEVICE_TEST_TOKEN -EndpointUrl {{URL}}).Count
Write-TestResult @{
    imported            = $imported
    modulesAfterRemove  = $modulesAfterRemove
    commandsAfterRemove = $commandsAfterRemove
    reimported          = $reimported
    listed              = $listed
}
'@

            $child = Invoke-ChildPowerShell -Script $script -Executable $Path -Environment @{ COGNITODEVICE_TEST_TOKEN = $user.Token }

            $child.ExitCode | Should -Be 0 -Because "the child printed: $($child.Output) $($child.ErrorOutput)"
            $child.Result.imported | Should -Be 3
            $child.Result.modulesAfterRemove | Should -Be 0
            $child.Result.commandsAfterRemove | Should -Be 0
            $child.Result.reimported | Should -Be 3
            $child.Result.listed | Should -Be 2
        }
    }
}
