using RoleMap.Cli;

try
{
    return await CliApp.RunAsync(args, CliIO.FromConsole()).ConfigureAwait(false);
}
catch (IOException ex)
{
    // Standard output or error unusable (a closed descriptor, a full disk) where no command's handler could report it,
    // e.g. stderr itself: one line if stderr takes it, exit 2, never a stack trace.
    try
    {
        await Console.Error.WriteLineAsync("rolemap: " + ex.Message).ConfigureAwait(false);
    }
    catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
    {
        // Nowhere left to say it: the exit code does.
    }

    return ExitCodes.Failure;
}
