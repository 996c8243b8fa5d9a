# CognitoDevice root module: a loader, nothing else. The cmdlets are in CognitoDevice.dll.
#
# PowerShell 7: CognitoDevice.Loader.dll, the only assembly of the module in the default load context, loads
# CognitoDevice.dll and the dependencies it ships (AWSSDK.Core, System.* packages) into the module's own
# AssemblyLoadContext, so another module's AWSSDK.Core, loaded before or after, never meets the module's.
# Windows PowerShell 5.1 has no load contexts: CognitoDevice.dll is imported from this folder and resolves its
# own dependencies (by name and version) itself. See the README, "Windows PowerShell 5.1".

# Only Microsoft.PowerShell.Core commands and .NET calls here: the module must import with module auto-loading off.

if ($PSEdition -eq 'Core') {
    # LoadFrom of the same path returns the loaded assembly: Remove-Module and Import-Module reuse the load context.
    $loader = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'CognitoDevice.Loader.dll'))
    $moduleAssembly = $loader.GetType('CognitoDevice.Loader.ModuleLoadContext', $true)::Initialize()
}
else {
    $moduleAssembly = [System.Reflection.Assembly]::LoadFrom([System.IO.Path]::Combine($PSScriptRoot, 'CognitoDevice.dll'))
}

Import-Module -Assembly $moduleAssembly
