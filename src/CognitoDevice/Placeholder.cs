namespace CognitoDevice
{
    internal static class Placeholder { }
}
