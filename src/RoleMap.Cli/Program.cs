using RoleMap.Cli;

return await CliApp.RunAsync(args, CliIO.FromConsole()).ConfigureAwait(false);
