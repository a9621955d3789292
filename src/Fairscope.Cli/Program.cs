using Fairscope.Cli;

return await FairscopeCli.RunAsync(args);
