#Requires -Version 5.1
<#
    The Gallery package, black-box: tools/Build-Package.ps1 publishes the built module to a local folder repository
    with Publish-PSResource, then a fresh PowerShell installs it from there with Install-PSResource, imports it by
    name and uses it against the local Cognito endpoint.

    Everything runs in a child PowerShell whose per-user data (PSResourceGet's repository list, the CurrentUser
    module folder, caches) lives in a temporary folder: HOME points into TestDrive and the XDG variables are unset,
    so the test registers, installs and leaves nothing in the real profile (it checks that). Windows keeps the
    CurrentUser scope in Documents, which cannot be redirected, so there the test is skipped and says so.
#>

BeforeDiscovery {
    $onWindows = [System.Environment]::OSVersion.Platform -eq [System.PlatformID]::Win32NT
    $noPSResourceGet = $PSVersionTable.PSVersion -lt [version]'7.4'
}

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'TestHelpers.psm1') -Force
    Initialize-CognitoTestEnvironment
    $url = (Start-LocalCognito).Url
    $repositoryRoot = Get-RepositoryRoot
    $version = Get-CognitoDeviceModuleVersion
}

AfterAll {
    Stop-LocalCognito
    Restore-CognitoTestEnvironment
}

Describe 'Gallery package' {
    It 'builds with tools/Build-Package.ps1, installs with Install-PSResource from the folder, imports by name and works' -Skip:($onWindows -or $noPSResourceGet) {
        Reset-LocalCognito
        $user = New-TestUser -DeviceCount 3
        $isolated = Join-Path $TestDrive 'home'
        $environment = @{ COGNITODEVICE_TEST_TOKEN = $user.Token }
        # PSResourceGet installs the CurrentUser scope into ~/.local/share/powershell/Modules and keeps its settings
        # under ~/.local/share and ~/.config: a HOME in TestDrive (with the XDG variables unset, so PowerShell's own
        # user module path is the same folder) isolates all of it. .NET treats a missing folder as no folder at all.
        $null = New-Item -ItemType Directory -Path (Join-Path (Join-Path $isolated '.local') 'share') -Force
        $null = New-Item -ItemType Directory -Path (Join-Path $isolated '.config') -Force
        $null = New-Item -ItemType Directory -Path (Join-Path $isolated '.cache') -Force
        $environment['HOME'] = $isolated
        foreach ($name in 'XDG_DATA_HOME', 'XDG_CONFIG_HOME', 'XDG_CACHE_HOME') { $environment[$name] = '' }
        $environment['PSModulePath'] = '' # unset: the child computes a fresh one from its HOME, as a new session does
        $repository = Join-Path $TestDrive 'repository'

        $script = @"
`$package = & $(ConvertTo-PSLiteral (Join-Path (Join-Path $repositoryRoot 'tools') 'Build-Package.ps1')) -OutputPath $(ConvertTo-PSLiteral $repository)
Register-PSResourceRepository -Name CognitoDeviceTest -Uri $(ConvertTo-PSLiteral $repository) -Trusted
Install-PSResource -Name CognitoDevice -Repository CognitoDeviceTest -Scope CurrentUser -TrustRepository -Quiet
`$installed = Get-InstalledPSResource -Name CognitoDevice -Scope CurrentUser
Import-Module CognitoDevice
`$module = Get-Module CognitoDevice
`$help = Get-Help Remove-CognitoDevice -Full
`$devices = @(Get-CognitoDevice -AccessToken `$env:COGNITODEVICE_TEST_TOKEN -EndpointUrl $(ConvertTo-PSLiteral $url))
Write-TestResult @{
    Package        = `$package.Name
    InstalledPath  = `$installed.InstalledLocation
    ModuleBase     = `$module.ModuleBase
    Version        = [string]`$module.Version
    ReleaseNotes   = [string]`$module.PrivateData.PSData.ReleaseNotes
    Synopsis       = [string]`$help.Synopsis
    ExampleCount   = @(`$help.examples.example).Count
    DeviceKeys     = @(`$devices.DeviceKey)
    Repositories   = @(Get-PSResourceRepository | ForEach-Object Name)
}
"@
        $realUserModule = Join-Path (Join-Path (Join-Path (Join-Path (Join-Path $HOME '.local') 'share') 'powershell') 'Modules') 'CognitoDevice'
        $existedBefore = Test-Path -LiteralPath $realUserModule

        $run = Invoke-ChildPowerShell -Script $script -Environment $environment -TimeoutSeconds 300

        Test-Path -LiteralPath $realUserModule | Should -Be $existedBefore -Because 'the install must stay in the temporary scope'

        $because = "Output:`n$($run.Output)`nErrors:`n$($run.ErrorOutput)"
        $run.ExitCode | Should -Be 0 -Because $because
        $result = $run.Result
        $result.Package | Should -BeExactly "CognitoDevice.$version.nupkg"
        Test-Path -LiteralPath (Join-Path $repository "CognitoDevice.$version.nupkg") | Should -BeTrue
        $result.Version | Should -BeExactly $version
        $result.ModuleBase | Should -BeLike "$isolated*" -Because 'the module must be the installed copy, imported by name'
        $result.Synopsis | Should -Match '^Forgets devices'
        $result.ExampleCount | Should -BeGreaterOrEqual 3
        ($result.DeviceKeys | Format-KeySet) | Should -BeExactly ($user.DeviceKeys | Format-KeySet)
        $result.Repositories | Should -Not -Contain ($result.Repositories | Where-Object { $_ -like 'CognitoDeviceBuild-*' }) -Because 'Build-Package.ps1 unregisters its repository'

        # The release notes are the CHANGELOG.md entry of this version, written into the package's manifest.
        $changelog = [System.IO.File]::ReadAllText((Join-Path $repositoryRoot 'CHANGELOG.md')).Replace("`r`n", "`n")
        $entry = [regex]::Match($changelog, '(?ms)^## v' + [regex]::Escape($version) + ' - \d{4}-\d{2}-\d{2}[ \t]*\n(.*?)(?=^## |\z)').Groups[1].Value.Trim()
        $entry | Should -Not -BeNullOrEmpty
        $result.ReleaseNotes.Replace("`r`n", "`n") | Should -BeExactly $entry
    }

    It 'passes Test-ModuleManifest in the built module folder' {
        $manifest = Test-ModuleManifest -Path (Get-CognitoDeviceManifestPath) -ErrorAction Stop -WarningVariable warnings

        $manifest.Version | Should -Be ([version]$version)
        $warnings | Should -BeNullOrEmpty
        $manifest.ProjectUri | Should -Not -BeNullOrEmpty
        $manifest.LicenseUri | Should -Not -BeNullOrEmpty
        foreach ($tag in 'PSEdition_Desktop', 'PSEdition_Core', 'Windows', 'Linux', 'MacOS') {
            $manifest.Tags | Should -Contain $tag
        }
    }
}
