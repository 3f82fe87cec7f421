using PerfSim.Cli;

return (int)PerfSimCli.Run(args, Console.Out, Console.Error);
